/** Where Midway's HTTP error classes and `httpError` are imported from (a module of its own: no imports, no cycle). */
export const MIDWAY = ['@midwayjs/core', '@midwayjs/decorator'];
