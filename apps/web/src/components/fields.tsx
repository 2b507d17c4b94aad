import { useId, useMemo, useState } from 'react';
import type { CodeLabel, FieldError } from '../api';
import { useLang } from '../i18n';
import { inputId } from '../profile';
import { useLabels } from '../taxonomy';
import { FieldErrors } from './bits';

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const s = ids.filter(Boolean).join(' ');
  return s || undefined;
}

interface Common {
  fieldKey: string;
  errors?: FieldError[];
}

/** One choice from a code list (district, ownership, size…). */
export function CodeSelect({
  fieldKey,
  value,
  onChange,
  errors,
  codes,
  required,
  emptyLabel,
  disabled,
}: Common & { value: string; onChange: (v: string) => void; codes?: CodeLabel[]; required?: boolean; emptyLabel?: string; disabled?: boolean }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const id = inputId(fieldKey);
  const list = codes ?? labels.field(fieldKey)?.codes ?? [];
  return (
    <div className={`field${errors?.length ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {labels.fieldLabel(fieldKey, lang)}
        {required ? (
          <span className="req">
            {' '}
            *<span className="visually-hidden">{t('required')}</span>
          </span>
        ) : (
          <span className="opt"> · {t('optional')}</span>
        )}
      </label>
      <p className="hint" id={`${id}-hint`}>
        {labels.hint(fieldKey, lang)}
      </p>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(`${id}-hint`, errors?.length ? `${id}-err` : undefined)}
        required={required}
        disabled={disabled}
      >
        <option value="">{emptyLabel ?? (required ? t('chooseOne') : t('notSpecified'))}</option>
        {list.map((c) => (
          <option key={c.code} value={c.code}>
            {c[lang]}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-err`} errors={errors} labels={labels} />
    </div>
  );
}

/** Several codes as checkboxes (headquarters, qualifications, roles, plans, talent). */
export function CodeChecks({ fieldKey, value, onChange, errors, codes }: Common & { value: string[]; onChange: (v: string[]) => void; codes: CodeLabel[] }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const id = inputId(fieldKey);
  const toggle = (code: string, on: boolean) => onChange(on ? [...value, code] : value.filter((c) => c !== code));
  return (
    <fieldset
      id={id}
      className={`field checks${errors?.length ? ' has-error' : ''}`}
      aria-describedby={describedBy(`${id}-hint`, errors?.length ? `${id}-err` : undefined)}
      tabIndex={-1}
    >
      <legend>
        {labels.fieldLabel(fieldKey, lang)}
        <span className="opt"> · {value.length ? t('selectedCount', { n: value.length }) : t('optional')}</span>
      </legend>
      <p className="hint" id={`${id}-hint`}>
        {labels.hint(fieldKey, lang)}
      </p>
      <div className="check-grid">
        {codes.map((c) => (
          <label key={c.code} className="check">
            <input type="checkbox" checked={value.includes(c.code)} onChange={(e) => toggle(c.code, e.target.checked)} />
            <span>
              {c[lang]}
              {c.extension ? <span className="ext"> · {t('extensionMark')}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <FieldErrors id={`${id}-err`} errors={errors} labels={labels} />
    </fieldset>
  );
}

export function NumberField({ fieldKey, value, onChange, errors }: Common & { value: string; onChange: (v: string) => void }) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const id = inputId(fieldKey);
  const unit = labels.unit(fieldKey, lang);
  const ratio = fieldKey.endsWith('Ratio');
  return (
    <div className={`field field-number${errors?.length ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {labels.fieldLabel(fieldKey, lang)}
        <span className="opt"> · {t('optional')}</span>
      </label>
      <p className="hint" id={`${id}-hint`}>
        {labels.hint(fieldKey, lang)}
      </p>
      <div className="with-unit">
        <input
          id={id}
          type={ratio ? 'text' : 'number'}
          inputMode="decimal"
          step={ratio ? undefined : 'any'}
          placeholder={ratio ? '0.08 / 8%' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={describedBy(`${id}-hint`, errors?.length ? `${id}-err` : undefined)}
        />
        {unit ? <span className="unit">{unit}</span> : null}
      </div>
      <FieldErrors id={`${id}-err`} errors={errors} labels={labels} />
    </div>
  );
}

export function TextField({
  id,
  label,
  hint,
  value,
  onChange,
  errors,
  autoComplete,
  maxLength,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
  errors?: FieldError[];
  autoComplete?: string;
  maxLength?: number;
}) {
  const { t } = useLang();
  const labels = useLabels();
  return (
    <div className={`field${errors?.length ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        <span className="opt"> · {t('optional')}</span>
      </label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <input
        id={id}
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete={autoComplete}
        maxLength={maxLength}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(`${id}-hint`, errors?.length ? `${id}-err` : undefined)}
      />
      <FieldErrors id={`${id}-err`} errors={errors} labels={labels} />
    </div>
  );
}

/** A code matches a search by its labels, its code or one of its everyday names (生物医药, 软件, 大模型…). */
function matches(c: CodeLabel, q: string): boolean {
  return (
    c.zh.toLowerCase().includes(q) ||
    c.en.toLowerCase().includes(q) ||
    c.code.toLowerCase().includes(q) ||
    (c.synonyms ?? []).some((s) => s.toLowerCase().includes(q))
  );
}

/**
 * The sector tree with a search box: parents expand to their children; a child implies its parent. Extension
 * codes (profile v1 lacks them) sit under their parents and are stored in `additionalSectors` by the caller.
 */
export function SectorPicker({
  value,
  onChange,
  errors,
  required,
}: {
  value: string[];
  onChange: (v: string[]) => void;
  errors?: FieldError[];
  required?: boolean;
}) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const id = inputId('sectors');
  const searchId = useId();
  const [query, setQuery] = useState('');
  // Parents the reader opened or closed; otherwise a parent is open when one of its children is chosen.
  const [toggled, setToggled] = useState<Map<string, boolean>>(() => new Map());
  const all = labels.codesOf('sectors');
  const parents = useMemo(() => all.filter((c) => !c.parent), [all]);
  const childrenOf = useMemo(() => {
    const map = new Map<string, CodeLabel[]>();
    for (const c of all) if (c.parent) map.set(c.parent, [...(map.get(c.parent) ?? []), c]);
    return map;
  }, [all]);
  const q = query.trim().toLowerCase();
  const visible = parents
    .map((p) => {
      const kids = childrenOf.get(p.code) ?? [];
      if (!q) return { p, kids, parentHit: true };
      const parentHit = matches(p, q);
      const hitKids = kids.filter((k) => matches(k, q));
      return parentHit || hitKids.length ? { p, kids: parentHit ? kids : hitKids, parentHit } : null;
    })
    .filter((x): x is { p: CodeLabel; kids: CodeLabel[]; parentHit: boolean } => x !== null);
  const toggle = (code: string, on: boolean) => onChange(on ? [...value, code] : value.filter((c) => c !== code));
  const isOpen = (code: string): boolean => toggled.get(code) ?? value.some((v) => v.startsWith(`${code}/`));
  const flip = (code: string) => setToggled((m) => new Map(m).set(code, !isOpen(code)));
  return (
    <fieldset
      id={id}
      className={`field sector-picker${errors?.length ? ' has-error' : ''}`}
      aria-describedby={describedBy(`${id}-hint`, errors?.length ? `${id}-err` : undefined)}
      tabIndex={-1}
    >
      <legend>
        {labels.fieldLabel('sectors', lang)}
        {required ? (
          <span className="req">
            {' '}
            *<span className="visually-hidden">{t('required')}</span>
          </span>
        ) : null}
        <span className="opt"> · {t('selectedCount', { n: value.length })}</span>
      </legend>
      <p className="hint" id={`${id}-hint`}>
        {labels.hint('sectors', lang)}
      </p>
      <div className="chips" aria-live="polite">
        {value.length === 0 ? <span className="muted">{t('nothingSelected')}</span> : null}
        {value.map((code) => (
          <span key={code} className="chip chip-selected">
            {labels.pathLabel('sectors', code, lang)}
            <button
              type="button"
              className="chip-x"
              onClick={() => toggle(code, false)}
              aria-label={t('remove', { name: labels.pathLabel('sectors', code, lang) })}
            >
              ×
            </button>
          </span>
        ))}
      </div>
      <label htmlFor={searchId} className="search-label">
        {t('sectorSearch')}
      </label>
      <input
        id={searchId}
        type="search"
        className="sector-search"
        value={query}
        placeholder={t('sectorSearchPlaceholder')}
        onChange={(e) => setQuery(e.target.value)}
        // Enter filters; it must not submit the whole profile form.
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault();
        }}
        autoComplete="off"
      />
      <ul className="tree">
        {visible.length === 0 ? <li className="muted">{t('sectorNoMatch')}</li> : null}
        {visible.map(({ p, kids }) => {
          const expanded = Boolean(q) || isOpen(p.code);
          const listId = `${id}-${p.code}`;
          return (
            <li key={p.code} className="tree-node">
              <div className="tree-row">
                {kids.length ? (
                  <button
                    type="button"
                    className="tree-toggle"
                    aria-expanded={expanded}
                    aria-controls={listId}
                    onClick={() => flip(p.code)}
                    aria-label={t(expanded ? 'sectorCollapse' : 'sectorExpand', { name: p[lang] })}
                  >
                    <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                  </button>
                ) : (
                  <span className="tree-toggle-space" aria-hidden="true" />
                )}
                <label className="check">
                  <input type="checkbox" checked={value.includes(p.code)} onChange={(e) => toggle(p.code, e.target.checked)} />
                  <span>
                    {p[lang]}
                    {kids.length ? <span className="muted"> · {t('sectorWhole')}</span> : null}
                  </span>
                </label>
              </div>
              {kids.length ? (
                <ul id={listId} className="tree-children" hidden={!expanded}>
                  {kids.map((k) => (
                    <li key={k.code}>
                      <label className="check">
                        <input type="checkbox" checked={value.includes(k.code)} onChange={(e) => toggle(k.code, e.target.checked)} />
                        <span>
                          {k[lang]}
                          {k.extension ? <span className="ext"> · {t('extensionMark')}</span> : null}
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ul>
      <FieldErrors id={`${id}-err`} errors={errors} labels={labels} />
    </fieldset>
  );
}
