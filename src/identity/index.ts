export * from './codes.ts';
export * from './ids.ts';
export * from './kbli.ts';
export * from './nik.ts';
export * from './phone.ts';
export * from './regions.ts';
export * from './sectors.ts';
export * from './size.ts';
