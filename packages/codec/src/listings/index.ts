// Barrel for the listings area: the only file src/index.ts re-exports from it.
// calendar.ts is internal (shared by the formatter and the parsers) and stays unexported.
export type { EntryType, FileRecord, ListingEntry } from './entry.js';
export {
  createListFormatter,
  formatListLine,
  formatListLines,
  type ListFormatOptions,
  type ListFormatter,
} from './ls-format.js';
export * from './mlsx.js';
export { DOS_YEAR_PIVOT, parseDosListLine } from './parse-dos.js';
export {
  detectListingFormat,
  type ListingFormat,
  ListingParser,
  type ParsedListing,
  type ParseListingOptions,
  parseListing,
} from './parse-listing.js';
export { parseUnixListLine, type UnixListParseOptions } from './parse-unix.js';
export {
  type FormatTimeValOptions,
  formatTimeVal,
  type ParsedTimeVal,
  parseTimeVal,
  parseTimeValWithPrecision,
  type TimeValPrecision,
} from './time-val.js';
