import { useId, useState } from 'react';
import type { ImportPreview, Lang } from '../../api';
import { useLang } from '../../i18n';
import { useLabels } from '../../taxonomy';

/** Column → field (null: not used) and column → cell value → code (null: drop the value). */
export interface ImportChoices {
  mapping: Record<string, string | null>;
  values: Record<string, Record<string, string | null>>;
}

const SAVED_KEY = 'matcher.import.saved';

/** Mappings and fixes the officer saved for next time (this browser only). */
export function savedChoices(): ImportChoices {
  try {
    const raw = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '{}') as Partial<ImportChoices>;
    return { mapping: raw.mapping ?? {}, values: raw.values ?? {} };
  } catch {
    return { mapping: {}, values: {} };
  }
}

export function saveChoices(choices: ImportChoices): void {
  const saved = savedChoices();
  const values = { ...saved.values };
  for (const [column, fixes] of Object.entries(choices.values)) values[column] = { ...(values[column] ?? {}), ...fixes };
  localStorage.setItem(SAVED_KEY, JSON.stringify({ mapping: { ...saved.mapping, ...choices.mapping }, values }));
}

/** The saved choices that concern this file's headers (a saved mapping for a header the file lacks would be refused). */
export function choicesFor(headers: string[], saved: ImportChoices): ImportChoices {
  const present = new Set(headers);
  return {
    mapping: Object.fromEntries(Object.entries(saved.mapping).filter(([h]) => present.has(h))),
    values: Object.fromEntries(Object.entries(saved.values).filter(([h]) => present.has(h))),
  };
}

function fieldName(preview: ImportPreview, key: string, lang: Lang): string {
  const f = preview.fields.find((x) => x.key === key);
  return f ? f[lang] : key;
}

/**
 * The mapping step: the first rows, each column's field (changeable), each value the import could not read
 * with the codes to choose from. The officer fixes them for this file (or saves them for next time), then starts.
 */
export function MappingStep({
  preview,
  choices,
  busy,
  usedSaved,
  onChange,
  onStart,
  onBack,
}: {
  preview: ImportPreview;
  choices: ImportChoices;
  busy: boolean;
  usedSaved: boolean;
  onChange: (next: ImportChoices, recheck: boolean) => void;
  onStart: (save: boolean) => void;
  onBack: () => void;
}) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const [save, setSave] = useState(false);
  const saveId = useId();
  const sep = lang === 'zh' ? '、' : ', ';
  const columns = preview.columns.filter((c) => c.header);

  const setField = (header: string, field: string | null) => onChange({ ...choices, mapping: { ...choices.mapping, [header]: field } }, true);
  const setValue = (column: string, value: string, code: string | null | undefined) => {
    const forColumn = { ...(choices.values[column] ?? {}) };
    if (code === undefined) delete forColumn[value];
    else forColumn[value] = code;
    onChange({ ...choices, values: { ...choices.values, [column]: forColumn } }, false);
  };

  return (
    <section className="mapping-step" aria-labelledby="mapping-title">
      <h3 id="mapping-title">{t('mappingTitle')}</h3>
      <p className="small">{t('mappingIntro')}</p>
      {usedSaved ? <p className="note small">{t('mappingSavedUsed')}</p> : null}
      <p className="strong" aria-live="polite">
        {t('mappingSummary', { total: preview.rowsTotal, valid: preview.rowsValid, failed: preview.rowsFailed })}
      </p>

      {preview.errors.length ? (
        <div className="note note-warn" role="alert">
          <h4>{t('mappingColumnProblems')}</h4>
          <ul>
            {preview.errors.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <h4>{t('mappingColumns')}</h4>
      <div className="table-wrap">
        <table className="table mapping-columns">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.index} scope="col" className={c.field ? undefined : 'unmapped'}>
                  <span className="mapping-header">{c.header}</span>
                  <label className="visually-hidden" htmlFor={`map-col-${c.index}`}>
                    {t('mappingColumnField', { header: c.header })}
                  </label>
                  <select
                    id={`map-col-${c.index}`}
                    data-header={c.header}
                    value={c.header in choices.mapping ? (choices.mapping[c.header] ?? '') : (c.field ?? '')}
                    onChange={(e) => setField(c.header, e.target.value || null)}
                    disabled={busy}
                    aria-invalid={c.source === 'unknown' ? true : undefined}
                  >
                    <option value="">{c.source === 'unknown' ? `${t('mappingUnknown')} · ${t('mappingIgnore')}` : t('mappingIgnore')}</option>
                    {preview.fields.map((f) => (
                      <option key={f.key} value={f.key}>
                        {f[lang]}
                      </option>
                    ))}
                  </select>
                  {c.source === 'unknown' && c.suggestions.length ? (
                    <span className="muted small">{t('mappingMaybe', { fields: c.suggestions.map((k) => fieldName(preview, k, lang)).join(sep) })}</span>
                  ) : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.sampleRows.map((r) => (
              <tr key={r.row}>
                {columns.map((c) => (
                  <td key={c.index}>{formatCell(r.cells[c.index])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t('mappingFirstRows')}</p>

      <h4>{t('mappingValues')}</h4>
      {preview.values.length === 0 ? (
        <p className="muted">{t('mappingNoValues')}</p>
      ) : (
        <ul className="mapping-values">
          {preview.values.map((v) => {
            const id = `map-val-${v.column}-${v.value}`.replace(/\s+/g, '_');
            const chosen = choices.values[v.column]?.[v.value];
            const suggested = new Set(v.candidates.map((c) => c.code));
            const all = labels.codesOf(v.field).filter((c) => !suggested.has(c.code));
            return (
              <li key={`${v.column}\u0000${v.value}`} className={`mapping-value ${v.reason}`}>
                <label htmlFor={id}>{t('mappingValueLabel', { column: v.column, value: v.value })}</label>
                <select
                  id={id}
                  value={chosen === undefined ? '' : chosen === null ? '\u0000drop' : chosen}
                  onChange={(e) => setValue(v.column, v.value, e.target.value === '' ? undefined : e.target.value === '\u0000drop' ? null : e.target.value)}
                >
                  <option value="">{t('mappingChoose')}</option>
                  {v.candidates.length ? (
                    <optgroup label={t('mappingSuggested')}>
                      {v.candidates.map((c) => (
                        <option key={c.code} value={c.code}>
                          {c[lang]}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  <optgroup label={t('mappingAllCodes')}>
                    {all.map((c) => (
                      <option key={c.code} value={c.code}>
                        {labels.pathLabel(v.field, c.code, lang)}
                      </option>
                    ))}
                  </optgroup>
                  <option value={'\u0000drop'}>{t('mappingDropValue')}</option>
                </select>
                <span className="small">{v.message}</span>
                <span className="muted small"> · {t('mappingRows', { rows: v.rows.join(sep) + (v.count > v.rows.length ? '…' : '') })}</span>
              </li>
            );
          })}
        </ul>
      )}

      {preview.rowErrors.length ? (
        <details className="small">
          <summary>{t('mappingOtherErrors')}</summary>
          <ul>
            {preview.rowErrors.map((r) => (
              <li key={r.row}>{r.errors.map((e) => e.message).join(lang === 'zh' ? '；' : '; ')}</li>
            ))}
          </ul>
        </details>
      ) : null}

      <div className="check">
        <input id={saveId} type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} />
        <label htmlFor={saveId}>{t('mappingSave')}</label>
      </div>
      <div className="toolbar">
        <button type="button" className="btn btn-primary" disabled={busy || preview.errors.length > 0} onClick={() => onStart(save)}>
          {busy ? t('uploading') : t('mappingStart')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => onChange(choices, true)}>
          {t('mappingRecheck')}
        </button>
        <button type="button" className="btn btn-link" disabled={busy} onClick={onBack}>
          {t('mappingBack')}
        </button>
      </div>
    </section>
  );
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
