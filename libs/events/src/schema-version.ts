// The version of the event and alert contract carried in every message's `schema` field.
// Bump it when a field changes meaning or a closed list grows; consumers accept the versions they know
// and park the others (DESIGN.md rule 4) instead of guessing.
export const SCHEMA_VERSION = 1;
