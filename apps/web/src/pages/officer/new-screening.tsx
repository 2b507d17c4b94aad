import { useRef, useState, type FormEvent } from 'react';
import { API, ApiError, post, type District, type ImportPreview } from '../../api';
import { ErrorNote } from '../../components/bits';
import { todayInShanghai, useLang } from '../../i18n';
import { navigate } from '../../router';
import { href } from '../../routes';
import { useLabels } from '../../taxonomy';
import { choicesFor, MappingStep, saveChoices, savedChoices, type ImportChoices } from './import-mapping';

/** A new screening: the file is checked first (columns and values mapped in the page), then screened. */
export function NewScreening() {
  const { t, lang } = useLang();
  const labels = useLabels();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [districts, setDistricts] = useState<District[]>([]);
  const [asOf, setAsOf] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const today = todayInShanghai();

  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [choices, setChoices] = useState<ImportChoices>({ mapping: {}, values: {} });
  const [usedSaved, setUsedSaved] = useState(false);

  const form = (c: ImportChoices): FormData => {
    const body = new FormData();
    body.set('file', file!);
    body.set('lang', lang);
    if (Object.keys(c.mapping).length) body.set('mapping', JSON.stringify(c.mapping));
    if (Object.keys(c.values).length) body.set('values', JSON.stringify(c.values));
    return body;
  };
  const showProblem = (err: unknown) => {
    if (err instanceof ApiError && err.errors.length) setErrors(err.errors.map((x) => x.message));
    else setFailure(err);
  };

  /** The mapping step: what the upload would read, with the saved or current choices applied. */
  const check = async (c: ImportChoices) => {
    setBusy(true);
    setErrors([]);
    setFailure(null);
    try {
      const p = await post<ImportPreview>('/screenings/preview', form(c));
      setPreview(p);
      setChoices(c);
    } catch (err) {
      showProblem(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      fileRef.current?.focus();
      return;
    }
    // First read the headers alone, so only the saved choices for this file's columns are sent.
    setBusy(true);
    setErrors([]);
    setFailure(null);
    try {
      const first = await post<ImportPreview>('/screenings/preview', form({ mapping: {}, values: {} }));
      const saved = choicesFor(
        first.columns.map((c) => c.header),
        savedChoices(),
      );
      const any = Object.keys(saved.mapping).length + Object.keys(saved.values).length > 0;
      setUsedSaved(any);
      if (any) await check(saved);
      else {
        setPreview(first);
        setChoices(saved);
      }
    } catch (err) {
      showProblem(err);
    } finally {
      setBusy(false);
    }
  };

  const start = async (save: boolean) => {
    setBusy(true);
    setErrors([]);
    setFailure(null);
    const body = form(choices);
    if (name.trim()) body.set('name', name.trim());
    if (districts.length) body.set('districts', districts.join(','));
    if (asOf) body.set('asOf', asOf);
    try {
      const created = await post<{ id: string }>('/screenings', body);
      if (save) saveChoices(choices);
      navigate(href('screening', { id: created.id }));
    } catch (err) {
      showProblem(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card new-screening" aria-labelledby="new-title">
      <h2 id="new-title">{t('newScreening')}</h2>
      <p>
        {t('template')}:{' '}
        <a href={`${API}/screenings/template.xlsx`} download>
          XLSX
        </a>{' '}
        ·{' '}
        <a href={`${API}/screenings/template.csv`} download>
          CSV
        </a>
        <span className="muted small"> — {t('templateHint')}</span>
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="new-form">
        <div className={`field${errors.length ? ' has-error' : ''}`}>
          <label htmlFor="upload-file">{t('file')}</label>
          <p className="hint" id="upload-file-hint">
            {t('fileHint')}
          </p>
          <input
            id="upload-file"
            ref={fileRef}
            type="file"
            accept=".csv,.xlsx,.ndjson,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
            }}
            aria-describedby={`upload-file-hint${errors.length ? ' upload-file-err' : ''}`}
            aria-invalid={errors.length ? true : undefined}
          />
          {errors.length ? (
            <ul className="field-error" id="upload-file-err" role="alert">
              {errors.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="upload-name">{t('screeningName')}</label>
          <p className="hint" id="upload-name-hint">
            {t('screeningNameHint')}
          </p>
          <input id="upload-name" type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} aria-describedby="upload-name-hint" />
        </div>
        <fieldset className="field checks compact">
          <legend>{t('screeningDistricts')}</legend>
          <p className="hint" id="upload-districts-hint">
            {t('screeningDistrictsHint')}
          </p>
          <div className="check-row">
            {labels.taxonomy.districts.map((d) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  checked={districts.includes(d)}
                  onChange={(e) => setDistricts((s) => (e.target.checked ? [...s, d] : s.filter((x) => x !== d)))}
                  aria-describedby="upload-districts-hint"
                />
                <span>{labels.districtLabel(d, lang)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="upload-asof">{t('asOf')}</label>
          <input id="upload-asof" type="date" value={asOf || today} onChange={(e) => setAsOf(e.target.value === today ? '' : e.target.value)} />
        </div>
        {failure ? (
          <ErrorNote error={failure instanceof ApiError && failure.status === 404 ? new ApiError(404, '', t('screeningUnavailable'), []) : failure} />
        ) : null}
        {preview ? null : (
          <button type="submit" className="btn btn-primary" disabled={busy || !file}>
            {busy ? t('checking') : t('checkFile')}
          </button>
        )}
      </form>
      {preview ? (
        <MappingStep
          preview={preview}
          choices={choices}
          busy={busy}
          usedSaved={usedSaved}
          onChange={(next, recheck) => (recheck ? void check(next) : setChoices(next))}
          onStart={(save) => void start(save)}
          onBack={() => {
            setPreview(null);
            setFile(null);
            if (fileRef.current) fileRef.current.value = '';
            fileRef.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}
