/**
 * Merges the department lists written beside each rule file (rules/<district>/<doc>.departments.json)
 * into the directory seeds/catalog/departments.json, giving each a stable ASCII id.
 * Run after authoring a document; the directory is what the catalog loads and the database seeds.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, type DepartmentRecord } from '@matcher/catalog';

const root = projectRoot();
const path = join(root, 'seeds', 'catalog', 'departments.json');
const existing: DepartmentRecord[] = JSON.parse(readFileSync(path, 'utf8'));
const byKey = new Map(existing.map((d) => [`${d.district}:${d.name}`, d]));
const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

for (const district of readdirSync(join(root, 'rules'))) {
  for (const file of readdirSync(join(root, 'rules', district))
    .filter((f) => f.endsWith('.departments.json'))
    .sort()) {
    const list: Omit<DepartmentRecord, 'id' | 'district'>[] = JSON.parse(readFileSync(join(root, 'rules', district, file), 'utf8'));
    for (const d of list) {
      const key = `${district}:${d.name}`;
      const known = byKey.get(key);
      if (known) {
        if (known.fullName !== d.fullName || known.nameEn !== d.nameEn) console.warn(`${file}: ${d.name} differs from the directory; keeping the directory's`);
        continue;
      }
      const id = slug(d.nameEn.replace(/^(Jing'an|Xuhui|Qingpu) District\s*/i, `${district} `));
      byKey.set(key, { id, district: district as DepartmentRecord['district'], name: d.name, fullName: d.fullName, nameEn: d.nameEn });
    }
  }
}
const merged = [...byKey.values()].sort((a, b) => (a.district + a.id < b.district + b.id ? -1 : 1));
const ids = new Set<string>();
for (const d of merged) {
  if (ids.has(d.id)) throw new Error(`duplicate department id ${d.id}`);
  ids.add(d.id);
}
writeFileSync(path, `${JSON.stringify(merged, null, 2)}\n`);
console.log(`${merged.length} departments in ${path}`);
