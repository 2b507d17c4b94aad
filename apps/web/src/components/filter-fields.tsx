import { useState } from 'react';
import type { DepartmentInfo, MeasureList } from '../api';
import { useLang } from '../i18n';
import { useLabels } from '../taxonomy';

/** Filter fields shared by the catalog and the screening results; '' means all. */

export function DistrictFilter({ id, value, onChange }: { id: string; value: string; onChange: (district: string) => void }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  return (
    <div className="field">
      <label htmlFor={id}>{t('filterDistrict')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('filterAll')}</option>
        {labels.taxonomy.districts.map((d) => (
          <option key={d} value={d}>
            {labels.districtLabel(d, lang)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The departments of `district` (all when ''); `counts` adds each department's number of measures. */
export function DepartmentFilter({
  id,
  departments,
  district,
  value,
  onChange,
  counts = false,
}: {
  id: string;
  departments: DepartmentInfo[];
  district: string;
  value: string;
  onChange: (department: string) => void;
  counts?: boolean;
}) {
  const { t, lang } = useLang();
  const shown = departments.filter((d) => !district || d.district === district);
  return (
    <div className="field">
      <label htmlFor={id}>{t('filterDepartment')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('filterAll')}</option>
        {shown.map((d) => (
          <option key={d.id} value={d.id}>
            {lang === 'zh' ? d.fullName : d.nameEn}
            {counts ? ` (${d.measures.total})` : null}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The measure filter: type part of a title or id and pick from the matches (304 measures do not fit one drop-down). */
export function MeasureFilter({ measures, value, onChange }: { measures: MeasureList['items']; value: string; onChange: (id: string) => void }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const [q, setQ] = useState('');
  const listId = 'res-measure-options';
  const selected = measures.find((m) => m.id === value);
  const needle = q.trim().toLowerCase();
  const hits = needle ? measures.filter((m) => `${m.title}\n${m.titleEn}\n${m.id}\n${m.summary ?? ''}`.toLowerCase().includes(needle)).slice(0, 15) : [];
  return (
    <div className="field grow measure-filter">
      <label htmlFor="res-measure">{t('filterMeasure')}</label>
      {selected ? (
        <p className="chip chip-selected">
          {lang === 'zh' ? selected.title : selected.titleEn}
          <button type="button" className="chip-x" onClick={() => onChange('')} aria-label={t('measureClear')}>
            ×
          </button>
        </p>
      ) : null}
      <input
        id="res-measure"
        type="search"
        value={q}
        placeholder={t('filterMeasurePlaceholder')}
        onChange={(e) => setQ(e.target.value)}
        autoComplete="off"
        aria-controls={needle ? listId : undefined}
      />
      {needle ? (
        <ul id={listId} className="measure-options" aria-live="polite">
          {hits.length === 0 ? <li className="muted small">{t('measureSearchNone')}</li> : null}
          {hits.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className="btn-link measure-option"
                onClick={() => {
                  onChange(m.id);
                  setQ('');
                }}
              >
                {lang === 'zh' ? m.title : m.titleEn} <span className="muted small">· {labels.districtLabel(m.district, lang)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
