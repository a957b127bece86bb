export { LAB_FAMILY, LAB_RUN_DIR, listNamespaces, sweepStale } from '@hotstandby/lab';
