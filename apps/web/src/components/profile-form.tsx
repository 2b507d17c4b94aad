import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import type { District, FieldError, TaxonomyField } from '../api';
import { todayInShanghai, useLang, type StringKey } from '../i18n';
import { EMPTY_FORM, errorsByField, inputId, listOf, textOf, type FormState } from '../profile';
import { extendedField, useLabels } from '../taxonomy';
import { errorText } from './bits';
import { CodeChecks, CodeSelect, NumberField, SectorPicker, TextField } from './fields';

const SECTION_TITLES: Record<string, StringKey> = {
  location: 'sectionLocation',
  sectors: 'sectionSectors',
  headquarters: 'sectionHeadquarters',
  qualifications: 'sectionQualifications',
  roles: 'sectionRoles',
  company: 'sectionCompany',
  plans: 'sectionPlans',
  talent: 'sectionTalent',
  metrics: 'sectionMetrics',
};

/** Sections that stay open: the two answers that are enough for a first result. */
const ALWAYS_OPEN = new Set(['location', 'sectors']);

interface Props {
  form: FormState;
  setForm: (update: (f: FormState) => FormState) => void;
  errors: FieldError[];
  busy: boolean;
  onSubmit: () => void;
  /** The field was edited: its error no longer applies. */
  onEdit: (field: string) => void;
}

export function ProfileForm({ form, setForm, errors, busy, onSubmit, onEdit }: Props) {
  const { t, lang } = useLang();
  const labels = useLabels();
  const byField = errorsByField(errors);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<Set<string>>(() => {
    // Sections already holding answers (a restored draft or shared link) start open.
    const s = new Set<string>();
    for (const f of labels.taxonomy.fields) {
      const v = form.values[f.key];
      if (Array.isArray(v) ? v.length : v) s.add(f.section);
    }
    if (form.values.name || form.values.uscc) s.add('company');
    return s;
  });

  const sections: { section: string; fields: TaxonomyField[] }[] = [];
  for (const f of labels.taxonomy.fields) {
    if (extendedField(f.key)) continue; // shown inside the field it extends
    const last = sections[sections.length - 1];
    if (last?.section === f.section) last.fields.push(f);
    else sections.push({ section: f.section, fields: [f] });
  }
  const sectionOf = (key: string): string | undefined => (key === 'name' || key === 'uscc' ? 'company' : labels.field(key)?.section);

  // Errors open their sections and the summary takes the focus, so a keyboard user lands on them.
  const [errorsSeen, setErrorsSeen] = useState<FieldError[] | null>(null);
  if (errors !== errorsSeen) {
    setErrorsSeen(errors);
    if (errors.length) {
      setOpen((s) => {
        const n = new Set(s);
        for (const e of errors) {
          const sec = sectionOf(errorsByField([e]).keys().next().value ?? '');
          if (sec) n.add(sec);
        }
        return n;
      });
    }
  }
  useEffect(() => {
    if (errors.length) summaryRef.current?.focus();
  }, [errors]);

  const set = (key: string, value: string | string[]) => {
    onEdit(key);
    setForm((f) => ({ ...f, values: { ...f.values, [key]: value } }));
  };
  /** A control showing a fact and its extension field together; changes are split back by where each code lives. */
  const setCombined = (key: string, codes: string[]) => {
    onEdit(key);
    setForm((f) => {
      const values = { ...f.values };
      const ext = labels.taxonomy.fields.find((x) => extendedField(x.key) === key)?.key;
      values[key] = codes.filter((c) => labels.storageField(key, c) === key);
      if (ext) values[ext] = codes.filter((c) => labels.storageField(key, c) === ext);
      return { ...f, values };
    });
  };
  const combined = (key: string): string[] => {
    const ext = labels.taxonomy.fields.find((x) => extendedField(x.key) === key)?.key;
    return [...listOf(form.values, key), ...(ext ? listOf(form.values, ext) : [])];
  };
  const district = textOf(form.values, 'location.district');

  const renderField = (f: TaxonomyField) => {
    const errs = byField.get(f.key);
    if (f.key === 'location.district')
      return (
        <CodeSelect
          key={f.key}
          fieldKey={f.key}
          required
          value={district}
          errors={errs}
          onChange={(v) => {
            onEdit('location.district');
            onEdit('location.area');
            setForm((s) => {
              const values: FormState['values'] = { ...s.values, 'location.district': v };
              // An area belongs to one district: drop it when the district changes.
              if (!String(values['location.area'] ?? '').startsWith(`${v}/`)) values['location.area'] = '';
              return { ...s, values };
            });
          }}
        />
      );
    if (f.key === 'location.area') {
      const codes = (f.codes ?? []).filter((c) => c.code.startsWith(`${district}/`));
      return (
        <CodeSelect
          key={f.key}
          fieldKey={f.key}
          value={textOf(form.values, f.key)}
          errors={errs}
          codes={codes}
          disabled={codes.length === 0}
          emptyLabel={district && codes.length === 0 ? t('areaOtherDistrict') : t('areaNone')}
          onChange={(v) => set(f.key, v)}
        />
      );
    }
    if (f.key === 'sectors') return <SectorPicker key={f.key} required value={combined('sectors')} errors={errs} onChange={(v) => setCombined('sectors', v)} />;
    if (f.kind === 'codes')
      return (
        <CodeChecks key={f.key} fieldKey={f.key} codes={labels.codesOf(f.key)} value={combined(f.key)} errors={errs} onChange={(v) => setCombined(f.key, v)} />
      );
    if (f.kind === 'code') return <CodeSelect key={f.key} fieldKey={f.key} value={textOf(form.values, f.key)} errors={errs} onChange={(v) => set(f.key, v)} />;
    return <NumberField key={f.key} fieldKey={f.key} value={textOf(form.values, f.key)} errors={errs} onChange={(v) => set(f.key, v)} />;
  };

  const countIn = (fields: TaxonomyField[]): number =>
    fields.reduce((n, f) => {
      const v = f.kind === 'codes' ? combined(f.key) : form.values[f.key];
      return n + (Array.isArray(v) ? v.length : v ? 1 : 0);
    }, 0);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };

  const today = todayInShanghai();
  const extraDistricts = labels.taxonomy.districts;
  // The API's default: the company's own district when it is one of the three, otherwise all three.
  const defaultDistricts: District[] = extraDistricts.includes(district as District) ? [district as District] : district ? extraDistricts : [];

  return (
    <form className="profile-form" noValidate onSubmit={submit} aria-describedby="form-intro">
      <p id="form-intro" className="muted small">
        {t('quickStart')} <span aria-hidden="true">·</span> {t('draftSaved')}
      </p>
      {errors.length ? (
        <div className="note note-error error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <p>{t('fixErrors')}</p>
          <ul>
            {errors.map((e, i) => {
              const key = errorsByField([e]).keys().next().value ?? '';
              const name = key === 'name' ? t('companyName') : key === 'uscc' ? t('uscc') : key === 'asOf' ? t('asOf') : labels.fieldLabel(key, lang);
              return (
                <li key={i}>
                  <a
                    href={`#${inputId(key)}`}
                    onClick={(ev) => {
                      // Focus the field without replacing the address's #p=… (the shareable profile).
                      ev.preventDefault();
                      const el = document.getElementById(inputId(key));
                      el?.scrollIntoView({ block: 'center' });
                      el?.focus({ preventScroll: true });
                    }}
                  >
                    {name}
                    {lang === 'zh' ? '：' : ': '}
                    {errorText(e, labels, lang)}
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      {sections.map(({ section, fields }) => {
        const title = t(SECTION_TITLES[section] ?? 'sectionCompany');
        const body = (
          <Fragment>
            {section === 'company' ? (
              <Fragment>
                <TextField
                  id={inputId('name')}
                  label={t('companyName')}
                  hint={t('companyNameHint')}
                  value={textOf(form.values, 'name')}
                  onChange={(v) => set('name', v)}
                  errors={byField.get('name')}
                  autoComplete="organization"
                  maxLength={200}
                />
                <TextField
                  id={inputId('uscc')}
                  label={t('uscc')}
                  hint={t('usccHint')}
                  value={textOf(form.values, 'uscc')}
                  onChange={(v) => set('uscc', v)}
                  errors={byField.get('uscc')}
                  autoComplete="off"
                  maxLength={18}
                />
              </Fragment>
            ) : null}
            {fields.map(renderField)}
          </Fragment>
        );
        if (ALWAYS_OPEN.has(section))
          return (
            <section key={section} className="form-section" aria-labelledby={`sec-${section}`}>
              <h2 id={`sec-${section}`} className="section-title">
                {title}
              </h2>
              {body}
            </section>
          );
        const n = countIn(fields) + (section === 'company' ? (form.values.name ? 1 : 0) + (form.values.uscc ? 1 : 0) : 0);
        return (
          <details
            key={section}
            className="form-section"
            open={open.has(section)}
            onToggle={(e) => {
              const isOpen = e.currentTarget.open;
              setOpen((s) => {
                if (s.has(section) === isOpen) return s;
                const next = new Set(s);
                if (isOpen) next.add(section);
                else next.delete(section);
                return next;
              });
            }}
          >
            <summary>
              <span className="section-title">{title}</span>
              <span className="muted small">{n ? t('selectedCount', { n }) : t('optional')}</span>
            </summary>
            {body}
          </details>
        );
      })}

      <section className="form-section options" aria-labelledby="sec-options">
        <h2 id="sec-options" className="section-title">
          {t('sectionOptions')}
        </h2>
        <div className={`field${errors.some((e) => e.path === 'asOf') ? ' has-error' : ''}`}>
          <label htmlFor={inputId('asOf')}>{t('asOf')}</label>
          <p className="hint" id="asof-hint">
            {t('asOfHint')}
          </p>
          <input
            id={inputId('asOf')}
            type="date"
            value={form.asOf || today}
            onChange={(e) => {
              onEdit('asOf');
              const v = e.target.value;
              setForm((f) => ({ ...f, asOf: v === today ? '' : v }));
            }}
            aria-describedby="asof-hint"
          />
        </div>
        <fieldset className="field checks compact">
          <legend>{t('districtsToCheck')}</legend>
          <p className="hint" id="districts-hint">
            {t('districtsToCheckHint')}
          </p>
          <div className="check-row">
            {extraDistricts.map((d: District) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  aria-describedby="districts-hint"
                  checked={form.districts.length ? form.districts.includes(d) : defaultDistricts.includes(d)}
                  onChange={(e) =>
                    setForm((f) => {
                      const current = f.districts.length ? f.districts : defaultDistricts;
                      const next = e.target.checked ? [...new Set([...current, d])] : current.filter((x) => x !== d);
                      // The default ticked again: keep the request plain.
                      const plain = next.length === 0 || (next.length === defaultDistricts.length && defaultDistricts.every((x) => next.includes(x)));
                      return { ...f, districts: plain ? [] : extraDistricts.filter((x) => next.includes(x)) };
                    })
                  }
                />
                <span>{labels.districtLabel(d, lang)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={form.includeExpired}
              onChange={(e) => setForm((f) => ({ ...f, includeExpired: e.target.checked }))}
              aria-describedby="expired-hint"
            />
            <span>{t('includeExpired')}</span>
          </label>
          <p className="hint" id="expired-hint">
            {t('includeExpiredHint')}
          </p>
        </div>
      </section>

      <div className="submit-bar">
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined}>
          {busy ? t('submitting') : t('submit')}
        </button>
        <button
          type="button"
          className="btn btn-link"
          onClick={() => {
            if (confirm(t('resetConfirm'))) setForm(() => EMPTY_FORM);
          }}
        >
          {t('resetForm')}
        </button>
      </div>
    </form>
  );
}
