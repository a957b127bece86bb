-- btree_gist lets one GiST index cover (vrid, time range) for "master at T" (mastership_during_idx).
CREATE EXTENSION IF NOT EXISTS btree_gist;
