import { defineArea } from '../platform/area.js';
import { TENANCY_DATA_CLASSES } from './data-classes.js';
import { TENANCY_RECORDS } from './records.js';

/** Businesses and what they connect (channels, their Meta app). */
export const tenancyArea = defineArea({
  name: 'tenancy',
  records: TENANCY_RECORDS,
  dataClasses: TENANCY_DATA_CLASSES,
});
