/**
 * The program's area, the root of the city -> kecamatan -> kelurahan pickers (Kemendagri code; 31 = Jakarta).
 * The server refuses villages outside its configured area (VILLAGE_OUTSIDE_PROGRAM), so a deployment for
 * another region sets VITE_PROGRAM_AREA at build time.
 */
export const PROGRAM_AREA: string = import.meta.env.VITE_PROGRAM_AREA ?? '31';
