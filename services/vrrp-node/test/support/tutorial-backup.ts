// The tutorial's backup node (node2.conf, VI_1 at 10.10.10.127) as an InstanceRunner wants it: the
// config model, the protocol core's instance config and the validation config. For runner tests that
// drive a real InstanceRunner with fake ports and a virtual clock.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { InstanceConfig } from '@hotstandby/protocol';
import { nodeConfigReader } from '../../src/config/include.js';
import { loadConfig } from '../../src/config/load.js';
import type { VrrpInstance } from '../../src/config/model.js';
import { toInstanceConfig } from '../../src/config/to-instance.js';
import { toValidationConfig } from '../../src/config/to-validation.js';

export const TUTORIAL_BACKUP_ADDRESS = '10.10.10.127';

export function tutorialBackup(): { model: VrrpInstance; config: InstanceConfig; validation: ReturnType<typeof toValidationConfig> } {
  const r = loadConfig(fileURLToPath(new URL('../config/fixtures/tutorial/node2.conf', import.meta.url)), { ...nodeConfigReader(), hostname: 'h' });
  const model = r.config!.instances[0]!;
  const mapped = toInstanceConfig(model, TUTORIAL_BACKUP_ADDRESS);
  assert.ok(mapped.ok);
  return { model, config: mapped.config, validation: toValidationConfig(model, [TUTORIAL_BACKUP_ADDRESS]) };
}
