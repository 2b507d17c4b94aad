import { PGlite } from '@electric-sql/pglite';
let t = Date.now();
const db = await PGlite.create({});
console.log('start', Date.now() - t); t = Date.now();
const db2 = await PGlite.create({});
console.log('start2', Date.now() - t); t = Date.now();
const c = await db.clone?.(); console.log('clone', Date.now() - t);
