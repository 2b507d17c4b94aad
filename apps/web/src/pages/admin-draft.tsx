import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  ApiError,
  get,
  post,
  withRevision,
  type DraftDocument,
  type DraftEdit,
  type DraftEditRecord,
  type DraftFinding as Finding,
  type DraftImpact,
  type DraftMeasure,
  type DraftView,
  type MatchResponse,
  type MeasureFields,
  type Rebased,
} from '../api';
import { ErrorNote, Loading } from '../components/bits';
import { CodeChecks, SectorPicker } from '../components/fields';
import { ProfileForm } from '../components/profile-form';
import { MatchesView } from '../components/results';
import { formatDateTime, useLang } from '../i18n';
import { decodeShare, EMPTY_FORM, loadDraft, toRequest, type FormState } from '../profile';
import { useLabels } from '../taxonomy';

/*
 * Editing a draft in place on the 政策管理 page: each action goes to the server (POST …/edits with the draft's
 * ETag), which checks the whole draft as rules:check does and answers the draft with its findings by field.
 */

type Pair = readonly [string, string];
export const D = {
  draft: ['草稿', 'Draft'],
  revision: ['修订', 'revision'],
  startedBy: ['创建人', 'Started by'],
  staleBase: [
    '此草稿创建后，已有其他版本发布为现行版本。请先基于现行版本重建草稿，再检查后发布。',
    'Another version was published after this draft was started. Rebuild the draft on the live version, review it, then publish.',
  ],
  rebase: ['基于现行版本重建', 'Rebuild on the live version'],
  rebased: ['已基于现行版本重建草稿。', 'The draft was rebuilt on the live version.'],
  conflicts: ['以下部分双方都有修改，保留了草稿中的内容：', 'Both changed these parts; the draft’s version was kept:'],
  changedMeanwhile: [
    '草稿已被他人修改，您的修改未保存。已载入最新草稿，请重新操作。',
    'Someone changed the draft meanwhile; your edit was not saved. The latest draft is loaded: please redo it.',
  ],
  documents: ['文件', 'Documents'],
  title: ['标题', 'Title'],
  validity: ['有效期', 'Validity'],
  term: ['期限（原文）', 'Term (as written)'],
  termEn: ['期限（英文）', 'Term (English)'],
  measures: ['措施', 'Measures'],
  actions: ['操作', 'Actions'],
  changeTerm: ['修改有效期', 'Change the term'],
  validFrom: ['起始日期', 'From'],
  validTo: ['截止日期', 'Until'],
  termHint: ['留空则自动改写期限原文中的日期；无法改写时检查会提示。', 'Leave empty to rewrite the dates in the term text; the check says when it cannot.'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  withdraw: ['撤回', 'Withdraw'],
  restore: ['恢复', 'Restore'],
  withdrawn: ['已撤回', 'Withdrawn'],
  editMeasures: ['编辑措施', 'Edit measures'],
  close: ['收起', 'Close'],
  findings: ['检查发现的问题', 'Findings'],
  noFindings: ['检查通过，没有发现问题。', 'All checks pass.'],
  edits: ['修改记录', 'Edit history'],
  noEdits: ['尚无修改。', 'No edits yet.'],
  summaryZh: ['摘要', 'Summary'],
  summaryEn: ['英文摘要', 'English summary'],
  titleEn: ['英文标题', 'English title'],
  kind: ['类别', 'Kind'],
  kindMeasure: ['措施', 'Measure'],
  kindPriority: ['重点方向', 'Priority'],
  supportType: ['支持方式', 'Support types'],
  departments: ['责任部门', 'Departments'],
  replaces: ['替代的措施（编号，逗号分隔）', 'Replaces (measure ids, comma-separated)'],
  application: ['申请信息', 'Application details'],
  opens: ['申报开始', 'Opens'],
  closes: ['申报截止', 'Closes'],
  amountMax: ['最高金额（元）', 'Maximum amount (yuan)'],
  channel: ['申报渠道', 'Where to apply'],
  channelUrl: ['网址', 'Web address'],
  contact: ['联系方式', 'Contact'],
  quote: ['原文引文', 'Quote'],
  text: ['文件原文', 'Document text'],
  selectHint: ['在原文中选中文字，再点击下方按钮。', 'Select words in the text, then press a button below.'],
  useAsQuote: ['用所选文字作为引文', 'Use the selection as the quote'],
  useAsBasis: ['用所选文字作为依据', 'Use the selection as the basis'],
  nothingSelected: ['请先在原文中选中文字。', 'Select words in the text first.'],
  addMeasure: ['新增措施', 'Add a measure'],
  measureId: ['措施编号', 'Measure id'],
  conditions: ['适用条件', 'Conditions'],
  addCondition: ['添加条件', 'Add a condition'],
  conditionFact: ['条件类型', 'Condition on'],
  basis: ['原文依据', 'Basis in the text'],
  remove: ['删除', 'Remove'],
  supportBasis: ['支持方式的原文依据', 'Words for the support type'],
  cases: ['测试案例', 'Cases'],
  addCase: ['用当前试算画像添加案例', 'Add a case from the profile being tried'],
  contrastCase: ['添加对照案例：不满足“{c}”', 'Add a contrast case: without “{c}”'],
  without: ['不满足', 'without'],
  expect: ['预期结果', 'Expected'],
  expectMatch: ['适用', 'applies'],
  expectNoMatch: ['不适用', 'does not apply'],
  addDocument: ['新增文件（粘贴原文）', 'Add a document (paste its text)'],
  docId: ['文件编号（小写字母、数字和连字符）', 'Document id (lower case, digits, hyphens)'],
  district: ['区', 'District'],
  issuer: ['发文单位', 'Issuer'],
  issuerEn: ['发文单位（英文）', 'Issuer (English)'],
  issuedOn: ['发布日期', 'Issued on'],
  reference: ['文号', 'Reference'],
  titleEnDoc: ['标题（英文）', 'Title (English)'],
  pasteText: ['文件全文', 'Full text'],
  add: ['添加', 'Add'],
  tryTitle: ['试算：企业看到的结果', 'Try: the answer a company sees'],
  tryIntro: [
    '填写企业画像（可载入本浏览器保存的画像或分享链接），比较现行版本与草稿的结果。',
    'Fill in a company profile (or load the one saved in this browser, or a shared link) and compare the live answer with the draft’s.',
  ],
  loadSaved: ['载入本浏览器保存的画像', 'Load the profile saved in this browser'],
  noSaved: ['本浏览器没有保存的画像。', 'No profile is saved in this browser.'],
  shareLink: ['分享链接', 'Shared link'],
  loadShare: ['载入分享链接', 'Load the link'],
  badShare: ['无法读取该分享链接。', 'The link cannot be read.'],
  liveAnswer: ['现行版本', 'Live version'],
  draftAnswer: ['草稿', 'Draft'],
  diff: ['与现行版本相比', 'Compared with the live version'],
  impact: ['对已保存筛选的影响', 'Impact on saved screenings'],
  impactLine: ['个已保存筛选中，共 {n} 家企业的适用措施会变化', 'saved screenings: {n} prospects would gain or lose measures'],
  screening: ['筛选', 'Screening'],
} satisfies Record<string, Pair>;

export type DraftKey = keyof typeof D;
export type Say = (k: DraftKey) => string;

export function useSay(): Say {
  const { lang } = useLang();
  return (k) => D[k][lang === 'zh' ? 0 : 1];
}

const SUPPORT_TYPES = ['funding', 'recognition', 'financing', 'talent-services', 'space', 'facilitation', 'platform', 'other'] as const;
const CONDITION_FACTS = ['sectors', 'roles', 'plans', 'qualifications', 'headquarters', 'talent', 'ownership', 'size', 'listing', 'location.area'] as const;

/** The words a user selected in the page (the document text is an ordinary element, so the selection is the browser's). */
function selectedText(): string {
  return (window.getSelection()?.toString() ?? '').trim();
}

function FindingList({ findings, className }: { findings: Finding[]; className?: string }) {
  if (!findings.length) return null;
  return (
    <ul className={`field-findings ${className ?? ''}`}>
      {findings.map((f, i) => (
        <li key={i} className="field-error">
          {f.message}
        </li>
      ))}
    </ul>
  );
}

/** Findings by document, measure and place in the bundle; `headers` names the four columns where the table stands alone. */
export function FindingsTable({ findings, headers }: { findings: Finding[]; headers?: [string, string, string, string] }) {
  return (
    <table className="table data-table findings">
      {headers ? (
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
      ) : null}
      <tbody>
        {findings.map((f, i) => (
          <tr key={i} className="finding">
            <td>{f.documentId ?? '—'}</td>
            <td>{f.measureId ?? '—'}</td>
            <td>
              <code>{f.path}</code>
            </td>
            <td>{f.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface DraftState {
  view: DraftView;
  etag: string | null;
}

/** A draft open for editing: documents, their measures, findings, history, diff, impact, try. */
export function DraftEditor({
  state,
  setState,
  footer,
}: {
  state: DraftState;
  setState: (s: DraftState) => void;
  /** The publish control, given the draft's impact. */
  footer: (impact: DraftImpact | null) => ReactNode;
}) {
  const say = useSay();
  const { lang } = useLang();
  const { view, etag } = state;
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [openDoc, setOpenDoc] = useState<string | null>(null);
  const [termFor, setTermFor] = useState<string | null>(null);
  // Kept with the revision it was computed for: an edit makes it stale at once.
  const [impactOf, setImpact] = useState<{ revision: number; impact: DraftImpact } | null>(null);
  const impact = impactOf?.revision === view.revision ? impactOf.impact : null;
  const [mode, setMode] = useState<'edit' | 'try'>('edit');
  const [tryForm, setTryForm] = useState<FormState>(() => loadDraft() ?? EMPTY_FORM);

  const reload = useCallback(async () => {
    const r = await withRevision<DraftView>('GET', `/catalog/drafts/${view.id}`, null);
    setState({ view: r.body, etag: r.etag });
  }, [view.id, setState]);

  useEffect(() => {
    let live = true;
    const revision = view.revision;
    get<DraftImpact>(`/catalog/drafts/${view.id}/impact`)
      .then((x) => live && setImpact({ revision, impact: x }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [view.id, view.revision]);

  /** Sends one edit with the ETag; a 409 reloads the draft and says so, nothing is lost silently. */
  const edit = async (body: DraftEdit): Promise<boolean> => {
    setBusy(true);
    setFailure(null);
    setNotice('');
    setErrors([]);
    try {
      const r = await withRevision<DraftView>('POST', `/catalog/drafts/${view.id}/edits`, etag, body);
      setState({ view: r.body, etag: r.etag });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const changes = (e.body.changes as DraftEditRecord[] | undefined) ?? [];
        setNotice(`${say('changedMeanwhile')} ${changes.map((c) => `${c.by}：${c.summary[lang]}`).join('；')}`);
        await reload();
      } else if (e instanceof ApiError && e.status === 422) setErrors(e.errors);
      else setFailure(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const rebase = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const r = await withRevision<Rebased>('POST', `/catalog/drafts/${view.id}/rebase`, etag, { prefer: 'draft' });
      setNotice(`${say('rebased')}${r.body.conflicts.length ? ` ${say('conflicts')} ${r.body.conflicts.join('、')}` : ''}`);
      await reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  const docFindings = (id: string, field?: string): Finding[] =>
    view.findings.filter(
      (f) => f.documentId === id && !f.measureId && (field === undefined ? true : f.field === field || (field === 'term' && f.field === 'termEn')),
    );
  const general = view.findings.filter((f) => !f.documentId);
  const title = (x: { title: string; titleEn: string }): string => (lang === 'zh' ? x.title : x.titleEn);

  return (
    <section aria-labelledby="draft-h" className="draft-editor">
      <h2 id="draft-h">
        {say('draft')} {view.description ? `：${view.description}` : ''}
      </h2>
      <p className="muted">
        {say('startedBy')} {view.createdBy} · {formatDateTime(view.createdAt, lang)} · {say('revision')} {view.revision}
      </p>
      {!view.basedOnLive ? (
        <div className="note note-warning" role="alert">
          <p>{say('staleBase')}</p>
          <button type="button" className="btn btn-small" onClick={() => void rebase()} disabled={busy}>
            {say('rebase')}
          </button>
        </div>
      ) : null}
      {notice ? (
        <p className="note note-warning" role="status">
          {notice}
        </p>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
      {errors.length ? (
        <ul className="note note-error edit-errors" role="alert">
          {errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {busy ? <Loading /> : null}

      <div className="tabs" role="group">
        <button
          type="button"
          className={`btn btn-small${mode === 'edit' ? ' btn-primary' : ''}`}
          aria-pressed={mode === 'edit'}
          onClick={() => setMode('edit')}
        >
          {say('documents')}
        </button>
        <button type="button" className={`btn btn-small${mode === 'try' ? ' btn-primary' : ''}`} aria-pressed={mode === 'try'} onClick={() => setMode('try')}>
          {say('tryTitle')}
        </button>
      </div>

      {mode === 'edit' ? (
        <>
          <div className="table-wrap">
            <table className="table data-table draft-documents">
              <caption className="visually-hidden">{say('documents')}</caption>
              <thead>
                <tr>
                  <th scope="col">{say('title')}</th>
                  <th scope="col">{say('validity')}</th>
                  <th scope="col">{say('term')}</th>
                  <th scope="col" className="num">
                    {say('measures')}
                  </th>
                  <th scope="col">{say('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {view.documentList.map((d) => (
                  <tr key={d.id} data-document={d.id} className={d.withdrawn ? 'withdrawn' : undefined}>
                    <td>
                      {title(d)} {d.withdrawn ? <span className="badge">{say('withdrawn')}</span> : null}
                      <FindingList findings={docFindings(d.id).filter((f) => f.field !== 'term' && f.field !== 'termEn')} />
                    </td>
                    <td className="nowrap">
                      {d.validity.validFrom ?? '—'} – {d.validity.validTo ?? '—'}
                    </td>
                    <td>
                      {lang === 'zh' ? d.term : d.termEn}
                      <FindingList findings={docFindings(d.id, 'term')} className="term-findings" />
                    </td>
                    <td className="num">{d.measures}</td>
                    <td className="actions">
                      {d.withdrawn ? (
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={busy}
                          onClick={() => void edit({ action: 'restore-document', documentId: d.id })}
                        >
                          {say('restore')}
                        </button>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={`${say('changeTerm')}：${title(d)}`}
                            onClick={() => setTermFor(termFor === d.id ? null : d.id)}
                          >
                            {say('changeTerm')}
                          </button>
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={`${say('editMeasures')}：${title(d)}`}
                            onClick={() => setOpenDoc(openDoc === d.id ? null : d.id)}
                          >
                            {say('editMeasures')}
                          </button>
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={`${say('withdraw')}：${title(d)}`}
                            disabled={busy}
                            onClick={() => void edit({ action: 'withdraw-document', documentId: d.id })}
                          >
                            {say('withdraw')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {termFor ? (
            <TermForm
              key={`${termFor}-${view.revision}`}
              doc={view.documentList.find((d) => d.id === termFor)!}
              findings={docFindings(termFor, 'term')}
              busy={busy}
              onCancel={() => setTermFor(null)}
              onSave={(x) => void edit({ action: 'set-term', documentId: termFor, ...x })}
            />
          ) : null}
          {openDoc ? (
            <DocumentEditor
              key={openDoc}
              draftId={view.id}
              documentId={openDoc}
              revision={view.revision}
              findings={view.findings}
              busy={busy}
              edit={edit}
              tryForm={tryForm}
              onClose={() => setOpenDoc(null)}
            />
          ) : null}
          <AddDocument busy={busy} edit={edit} onAdded={(id) => setOpenDoc(id)} />
        </>
      ) : (
        <TryDraft draftId={view.id} revision={view.revision} form={tryForm} setForm={setTryForm} />
      )}

      <section aria-labelledby="findings-h" className="draft-findings">
        <h3 id="findings-h">{say('findings')}</h3>
        {view.findings.length === 0 ? <p className="note note-success">{say('noFindings')}</p> : <FindingsTable findings={view.findings} />}
        <FindingList findings={general} />
      </section>

      <section aria-labelledby="diff-h">
        <h3 id="diff-h">{say('diff')}</h3>
        <p className="diff-summary">{view.diff.summary[lang]}</p>
        {view.diff.changed.length + view.diff.added.length + view.diff.removed.length > 0 ? (
          <details>
            <summary>
              {say('measures')} ({view.diff.changed.length + view.diff.added.length + view.diff.removed.length})
            </summary>
            <ul className="diff-list">
              {[...view.diff.added, ...view.diff.removed, ...view.diff.changed].map((m) => (
                <li key={m.measureId}>
                  <strong>{title(m)}</strong> <code>{m.measureId}</code>
                  {'changes' in m && Array.isArray(m.changes) ? (
                    <span className="muted"> {(m.changes as { zh: string; en: string }[]).map((c) => c[lang]).join('；')}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <h3>{say('impact')}</h3>
        {!impact ? (
          <Loading />
        ) : (
          <p className="impact-summary">
            {impact.screenings.length} {say('impactLine').replace('{n}', String(impact.screenings.reduce((n, x) => n + x.prospectsAffected, 0)))}
          </p>
        )}
      </section>

      <section aria-labelledby="edits-h">
        <h3 id="edits-h">{say('edits')}</h3>
        {view.edits.length === 0 ? (
          <p className="muted">{say('noEdits')}</p>
        ) : (
          <ul className="edit-history">
            {view.edits.map((e) => (
              <li key={e.revision}>
                <span className="nowrap">{formatDateTime(e.at, lang)}</span> · {e.by} · {e.summary[lang]}
              </li>
            ))}
          </ul>
        )}
      </section>
      {footer(impact)}
    </section>
  );
}

function TermForm({
  doc,
  findings,
  busy,
  onSave,
  onCancel,
}: {
  doc: DraftView['documentList'][number];
  findings: Finding[];
  busy: boolean;
  onSave: (x: { validFrom: string | null; validTo: string | null; term?: string; termEn?: string }) => void;
  onCancel: () => void;
}) {
  const say = useSay();
  const { lang } = useLang();
  const [from, setFrom] = useState(doc.validity.validFrom ?? '');
  const [to, setTo] = useState(doc.validity.validTo ?? '');
  const [term, setTerm] = useState('');
  const [termEn, setTermEn] = useState('');
  return (
    <form
      className="card term-form"
      aria-label={`${say('changeTerm')}：${lang === 'zh' ? doc.title : doc.titleEn}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave({
          validFrom: from || null,
          validTo: to || null,
          ...(term.trim() ? { term: term.trim() } : {}),
          ...(termEn.trim() ? { termEn: termEn.trim() } : {}),
        });
      }}
    >
      <h3>
        {say('changeTerm')}：{lang === 'zh' ? doc.title : doc.titleEn}
      </h3>
      <div className="row">
        <label className="field">
          <span>{say('validFrom')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{say('validTo')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <p className="hint">{say('termHint')}</p>
      <label className="field">
        <span>{say('term')}</span>
        <input type="text" value={term} placeholder={doc.term} onChange={(e) => setTerm(e.target.value)} />
      </label>
      <label className="field">
        <span>{say('termEn')}</span>
        <input type="text" value={termEn} placeholder={doc.termEn} onChange={(e) => setTermEn(e.target.value)} />
      </label>
      <FindingList findings={findings} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {say('save')}
      </button>{' '}
      <button type="button" className="btn" onClick={onCancel}>
        {say('cancel')}
      </button>
    </form>
  );
}

function DocumentEditor({
  draftId,
  documentId,
  revision,
  findings,
  busy,
  edit,
  tryForm,
  onClose,
}: {
  draftId: string;
  documentId: string;
  revision: number;
  findings: Finding[];
  busy: boolean;
  edit: (e: DraftEdit) => Promise<boolean>;
  tryForm: FormState;
  onClose: () => void;
}) {
  const say = useSay();
  const { lang } = useLang();
  const [doc, setDoc] = useState<DraftDocument | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    get<DraftDocument>(`/catalog/drafts/${draftId}/documents/${documentId}`)
      .then((d) => live && setDoc(d))
      .catch((e: unknown) => live && setFailure(e));
    return () => {
      live = false;
    };
  }, [draftId, documentId, revision]);
  if (failure) return <ErrorNote error={failure} />;
  if (!doc) return <Loading />;
  const mFindings = (id: string): Finding[] => findings.filter((f) => f.measureId === id);
  return (
    <section className="card document-editor" aria-labelledby="doc-editor-h">
      <h3 id="doc-editor-h">{lang === 'zh' ? doc.document.title : doc.document.titleEn}</h3>
      <button type="button" className="btn btn-small" onClick={onClose}>
        {say('close')}
      </button>
      <ul className="measure-list">
        {doc.measures.map((m) => (
          <li key={m.measureId} data-measure={m.measureId} className={m.withdrawn ? 'withdrawn' : undefined}>
            <strong>{lang === 'zh' ? m.title : m.titleEn}</strong> <code>{m.measureId}</code>{' '}
            <span className="nowrap muted">
              {m.validity.validFrom ?? '—'} – {m.validity.validTo ?? '—'}
            </span>{' '}
            {m.withdrawn ? (
              <>
                <span className="badge">{say('withdrawn')}</span>{' '}
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy}
                  onClick={() => void edit({ action: 'restore-measure', measureId: m.measureId })}
                >
                  {say('restore')}
                </button>
              </>
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`${say('editMeasures')}：${m.measureId}`}
                  onClick={() => setEditing(editing === m.measureId ? null : m.measureId)}
                >
                  {say('editMeasures')}
                </button>{' '}
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`${say('withdraw')}：${m.measureId}`}
                  disabled={busy}
                  onClick={() => void edit({ action: 'withdraw-measure', measureId: m.measureId })}
                >
                  {say('withdraw')}
                </button>
              </>
            )}
            <FindingList findings={mFindings(m.measureId)} />
            {editing === m.measureId ? (
              <MeasureForm
                measure={m}
                directory={doc.directory}
                findings={mFindings(m.measureId)}
                busy={busy}
                onSave={async (fields) => {
                  if (await edit({ action: 'edit-measure', measureId: m.measureId, fields })) setEditing(null);
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      <AddMeasure doc={doc} busy={busy} edit={edit} tryForm={tryForm} findings={findings} />
    </section>
  );
}

function MeasureFieldsInputs({
  value,
  set,
  directory,
  findings,
}: {
  value: MeasureFields;
  set: (f: (v: MeasureFields) => MeasureFields) => void;
  directory: DraftDocument['directory'];
  findings: Finding[];
}) {
  const say = useSay();
  const { lang } = useLang();
  const labels = useLabels();
  const at = (field: string): Finding[] => findings.filter((f) => f.field === field);
  const text = (k: 'title' | 'titleEn' | 'summary' | 'summaryEn', label: DraftKey, area = false) => (
    <label className="field">
      <span>{say(label)}</span>
      {area ? (
        <textarea rows={3} value={value[k] ?? ''} onChange={(e) => set((v) => ({ ...v, [k]: e.target.value }))} />
      ) : (
        <input type="text" value={value[k] ?? ''} onChange={(e) => set((v) => ({ ...v, [k]: e.target.value }))} />
      )}
      <FindingList findings={at(k === 'titleEn' ? 'title' : k === 'summaryEn' ? 'summary' : k)} />
    </label>
  );
  const app = value.application ?? {};
  const setApp = (patch: Partial<NonNullable<MeasureFields['application']>>) =>
    set((v) => {
      const next = { ...(v.application ?? {}), ...patch };
      for (const [k, x] of Object.entries(next)) if (x === undefined || x === '') delete (next as Record<string, unknown>)[k];
      return { ...v, application: Object.keys(next).length ? next : null };
    });
  return (
    <>
      {text('title', 'title')}
      {text('titleEn', 'titleEn')}
      {text('summary', 'summaryZh', true)}
      {text('summaryEn', 'summaryEn', true)}
      <label className="field">
        <span>{say('kind')}</span>
        <select value={value.kind ?? 'measure'} onChange={(e) => set((v) => ({ ...v, kind: e.target.value as 'measure' | 'priority' }))}>
          <option value="measure">{say('kindMeasure')}</option>
          <option value="priority">{say('kindPriority')}</option>
        </select>
      </label>
      <fieldset className="field checks">
        <legend>{say('supportType')}</legend>
        <div className="check-grid">
          {SUPPORT_TYPES.map((t) => (
            <label key={t} className="check">
              <input
                type="checkbox"
                checked={(value.supportType ?? []).includes(t)}
                onChange={(e) =>
                  set((v) => ({ ...v, supportType: e.target.checked ? [...(v.supportType ?? []), t] : (v.supportType ?? []).filter((x) => x !== t) }))
                }
              />
              <span>{labels.supportTypeLabel(t, lang)}</span>
            </label>
          ))}
        </div>
        <FindingList findings={at('supportType')} />
      </fieldset>
      <fieldset className="field checks">
        <legend>{say('departments')}</legend>
        <div className="check-grid">
          {directory.map((d) => (
            <label key={d.id} className="check">
              <input
                type="checkbox"
                checked={(value.departments ?? []).includes(d.name)}
                onChange={(e) =>
                  set((v) => ({ ...v, departments: e.target.checked ? [...(v.departments ?? []), d.name] : (v.departments ?? []).filter((x) => x !== d.name) }))
                }
              />
              <span>{lang === 'zh' ? d.fullName : d.nameEn}</span>
            </label>
          ))}
        </div>
        <FindingList findings={at('departments')} />
      </fieldset>
      <div className="row">
        <label className="field">
          <span>{say('validFrom')}</span>
          <input
            type="date"
            value={value.validity?.validFrom ?? ''}
            onChange={(e) =>
              set((v) => ({
                ...v,
                validity: { validFrom: e.target.value || null, validTo: v.validity?.validTo ?? null, basis: v.validity?.basis ?? 'stated' },
              }))
            }
          />
        </label>
        <label className="field">
          <span>{say('validTo')}</span>
          <input
            type="date"
            value={value.validity?.validTo ?? ''}
            onChange={(e) =>
              set((v) => ({
                ...v,
                validity: { validFrom: v.validity?.validFrom ?? null, validTo: e.target.value || null, basis: v.validity?.basis ?? 'stated' },
              }))
            }
          />
        </label>
      </div>
      <FindingList findings={at('validity')} />
      <fieldset className="field">
        <legend>{say('application')}</legend>
        <div className="row">
          <label className="field">
            <span>{say('opens')}</span>
            <input type="date" value={app.opens ?? ''} onChange={(e) => setApp({ opens: e.target.value || undefined })} />
          </label>
          <label className="field">
            <span>{say('closes')}</span>
            <input type="date" value={app.closes ?? ''} onChange={(e) => setApp({ closes: e.target.value || undefined })} />
          </label>
          <label className="field">
            <span>{say('amountMax')}</span>
            <input
              type="number"
              min={0}
              value={app.amount?.max ?? ''}
              onChange={(e) => setApp({ amount: e.target.value ? { ...(app.amount ?? {}), max: Number(e.target.value) } : undefined })}
            />
          </label>
        </div>
        <div className="row">
          <label className="field">
            <span>{say('channel')}</span>
            <input
              type="text"
              value={app.channel?.name ?? ''}
              onChange={(e) =>
                setApp({ channel: e.target.value ? { kind: app.channel?.kind ?? 'online', ...(app.channel ?? {}), name: e.target.value } : undefined })
              }
            />
          </label>
          <label className="field">
            <span>{say('channelUrl')}</span>
            <input
              type="url"
              value={app.channel?.url ?? ''}
              onChange={(e) => app.channel && setApp({ channel: { ...app.channel, ...(e.target.value ? { url: e.target.value } : { url: undefined }) } })}
            />
          </label>
          <label className="field">
            <span>{say('contact')}</span>
            <input type="text" value={app.contact ?? ''} onChange={(e) => setApp({ contact: e.target.value || undefined })} />
          </label>
        </div>
        <FindingList findings={at('application')} />
      </fieldset>
      <label className="field">
        <span>{say('replaces')}</span>
        <input
          type="text"
          value={(value.replaces ?? []).join(', ')}
          onChange={(e) =>
            set((v) => ({
              ...v,
              replaces: e.target.value
                .split(/[,，\s]+/)
                .map((x) => x.trim())
                .filter(Boolean),
            }))
          }
        />
        <FindingList findings={at('replaces')} />
      </label>
    </>
  );
}

function MeasureForm({
  measure,
  directory,
  findings,
  busy,
  onSave,
}: {
  measure: DraftMeasure;
  directory: DraftDocument['directory'];
  findings: Finding[];
  busy: boolean;
  onSave: (fields: MeasureFields) => Promise<void>;
}) {
  const say = useSay();
  const [value, setValue] = useState<MeasureFields>(() => ({
    title: measure.title,
    titleEn: measure.titleEn,
    summary: measure.summary,
    summaryEn: measure.summaryEn,
    kind: measure.kind,
    supportType: measure.supportType,
    departments: measure.departments.map((d) => d.name),
    validity: measure.validity,
    application: measure.application ?? null,
    replaces: measure.replaces ?? [],
  }));
  return (
    <form
      className="measure-form"
      aria-label={`${say('editMeasures')}：${measure.measureId}`}
      onSubmit={(e) => {
        e.preventDefault();
        // Only what changed is sent, so the recorded edit names it.
        const changed = Object.fromEntries(
          Object.entries(value).filter(
            ([k, v]) =>
              JSON.stringify(v) !==
              JSON.stringify((measure as unknown as Record<string, unknown>)[k] ?? (k === 'application' ? null : k === 'replaces' ? [] : undefined)),
          ),
        );
        if (JSON.stringify(value.departments) === JSON.stringify(measure.departments.map((d) => d.name))) delete changed.departments;
        void onSave(changed);
      }}
    >
      <MeasureFieldsInputs value={value} set={(f) => setValue(f)} directory={directory} findings={findings} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {say('save')}
      </button>
    </form>
  );
}

interface ConditionRow {
  fact: (typeof CONDITION_FACTS)[number];
  values: string[];
  basis: string;
}

/** The same company without what one condition asks: a near profile the measure should not match. */
function withoutCondition(profile: unknown, c: ConditionRow): unknown {
  const copy = structuredClone(profile) as Record<string, unknown>;
  const [key, sub] = c.fact === 'location.area' ? ['location', 'area'] : [c.fact, undefined];
  const holder = sub ? ((copy[key] as Record<string, unknown> | undefined) ?? {}) : copy;
  const field = sub ?? key;
  const value = holder[field];
  if (Array.isArray(value)) {
    const rest = value.filter((v) => !c.values.includes(String(v)));
    if (rest.length) holder[field] = rest;
    else delete holder[field];
  } else if (typeof value === 'string' && c.values.includes(value)) delete holder[field];
  return copy;
}

function AddMeasure({
  doc,
  busy,
  edit,
  tryForm,
  findings,
}: {
  doc: DraftDocument;
  busy: boolean;
  edit: (e: DraftEdit) => Promise<boolean>;
  tryForm: FormState;
  findings: Finding[];
}) {
  const say = useSay();
  const { lang } = useLang();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  const [measureId, setMeasureId] = useState(`${doc.document.id.split('-').slice(0, 2).join('-')}-`);
  const [quote, setQuote] = useState('');
  const [fields, setFields] = useState<MeasureFields>({
    kind: 'measure',
    supportType: [],
    departments: [],
    title: '',
    titleEn: '',
    summary: '',
    summaryEn: '',
  });
  const [conditions, setConditions] = useState<ConditionRow[]>([]);
  const [supportBasis, setSupportBasis] = useState<Record<string, string>>({});
  const [cases, setCases] = useState<{ case: string; profile: unknown; expect: 'match' | 'no-match' }[]>([]);
  const [hint, setHint] = useState('');
  const textRef = useRef<HTMLDivElement>(null);
  const take = (apply: (s: string) => void) => {
    const s = selectedText();
    if (!s) setHint(say('nothingSelected'));
    else {
      setHint('');
      apply(s);
    }
  };
  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {say('addMeasure')}
      </button>
    );
  const added = findings.filter((f) => f.measureId === measureId);
  return (
    <form
      className="card add-measure"
      aria-label={say('addMeasure')}
      onSubmit={(e) => {
        e.preventDefault();
        void edit({
          action: 'add-measure',
          documentId: doc.document.id,
          measureId: measureId.trim(),
          quote,
          fields: fields as Required<Pick<MeasureFields, 'title' | 'titleEn' | 'summary' | 'summaryEn' | 'kind' | 'supportType' | 'departments'>>,
          conditions,
          supportTypeBasis: supportBasis,
          cases,
        }).then((ok) => ok && setOpen(false));
      }}
    >
      <h4>{say('addMeasure')}</h4>
      <p className="hint">{say('selectHint')}</p>
      <div className="document-text" ref={textRef} tabIndex={0} role="region" aria-label={say('text')}>
        {doc.text}
      </div>
      {hint ? (
        <p className="field-error" role="alert">
          {hint}
        </p>
      ) : null}
      <button type="button" className="btn btn-small" onClick={() => take(setQuote)}>
        {say('useAsQuote')}
      </button>
      <label className="field">
        <span>{say('quote')}</span>
        <textarea className="quote" rows={2} value={quote} readOnly />
      </label>
      <label className="field">
        <span>{say('measureId')}</span>
        <input type="text" value={measureId} onChange={(e) => setMeasureId(e.target.value)} />
      </label>
      <MeasureFieldsInputs value={fields} set={(f) => setFields(f)} directory={doc.directory} findings={added} />
      {(fields.supportType ?? [])
        .filter((t) => t !== 'other')
        .map((t) => (
          <div key={t} className="row basis-row">
            <span>
              {say('supportBasis')}（{labels.supportTypeLabel(t, lang)}）：<q>{supportBasis[t] ?? '—'}</q>
            </span>
            <button type="button" className="btn btn-small" onClick={() => take((s) => setSupportBasis((b) => ({ ...b, [t]: s })))}>
              {say('useAsBasis')}
            </button>
          </div>
        ))}
      <fieldset className="field conditions">
        <legend>{say('conditions')}</legend>
        {conditions.map((c, i) => (
          <div key={i} className="condition card">
            <label className="field">
              <span>{say('conditionFact')}</span>
              <select
                value={c.fact}
                onChange={(e) => setConditions((cs) => cs.map((x, j) => (j === i ? { ...x, fact: e.target.value as ConditionRow['fact'], values: [] } : x)))}
              >
                {CONDITION_FACTS.map((f) => (
                  <option key={f} value={f}>
                    {labels.fieldLabel(f, lang)}
                  </option>
                ))}
              </select>
            </label>
            {c.fact === 'sectors' ? (
              <SectorPicker value={c.values} onChange={(v) => setConditions((cs) => cs.map((x, j) => (j === i ? { ...x, values: v } : x)))} />
            ) : (
              <CodeChecks
                fieldKey={c.fact}
                codes={labels.codesOf(c.fact)}
                value={c.values}
                onChange={(v) => setConditions((cs) => cs.map((x, j) => (j === i ? { ...x, values: v } : x)))}
              />
            )}
            <p>
              {say('basis')}：<q className="condition-basis">{c.basis || '—'}</q>{' '}
              <button
                type="button"
                className="btn btn-small"
                onClick={() => take((s) => setConditions((cs) => cs.map((x, j) => (j === i ? { ...x, basis: s } : x))))}
              >
                {say('useAsBasis')}
              </button>{' '}
              <button type="button" className="btn btn-small" onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}>
                {say('remove')}
              </button>
            </p>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          disabled={conditions.length > 0 && conditions.some((c) => c.fact === 'sectors')}
          onClick={() => setConditions((cs) => [...cs, { fact: cs.length ? 'roles' : 'sectors', values: [], basis: '' }])}
        >
          {say('addCondition')}
        </button>
        <FindingList findings={added.filter((f) => f.field === 'conditions' || f.field === 'basis')} />
      </fieldset>
      <fieldset className="field cases">
        <legend>{say('cases')}</legend>
        <ul>
          {cases.map((c, i) => (
            <li key={i}>
              {c.case}{' '}
              <select
                aria-label={`${say('expect')} ${c.case}`}
                value={c.expect}
                onChange={(e) => setCases((cs) => cs.map((x, j) => (j === i ? { ...x, expect: e.target.value as 'match' | 'no-match' } : x)))}
              >
                <option value="match">{say('expectMatch')}</option>
                <option value="no-match">{say('expectNoMatch')}</option>
              </select>{' '}
              <button type="button" className="btn btn-small" onClick={() => setCases((cs) => cs.filter((_, j) => j !== i))}>
                {say('remove')}
              </button>
              {c.expect === 'match'
                ? conditions
                    .filter((k) => k.values.length)
                    .map((k, n) => {
                      const name = k.values.map((v) => labels.label(k.fact, v, lang)).join('、');
                      return (
                        <button
                          key={n}
                          type="button"
                          className="btn btn-small"
                          onClick={() =>
                            setCases((cs) => [
                              ...cs,
                              { case: `${c.case}（${say('without')}${name}）`, profile: withoutCondition(c.profile, k), expect: 'no-match' },
                            ])
                          }
                        >
                          {say('contrastCase').replace('{c}', name)}
                        </button>
                      );
                    })
                : null}
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setCases((cs) => [...cs, { case: `${say('cases')} ${cs.length + 1}`, profile: toRequest(tryForm, labels).profile, expect: 'match' }])}
        >
          {say('addCase')}
        </button>
        <FindingList findings={added.filter((f) => f.field === 'cases')} />
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {say('add')}
      </button>{' '}
      <button type="button" className="btn" onClick={() => setOpen(false)}>
        {say('cancel')}
      </button>
    </form>
  );
}

function AddDocument({ busy, edit, onAdded }: { busy: boolean; edit: (e: DraftEdit) => Promise<boolean>; onAdded: (id: string) => void }) {
  const say = useSay();
  const labels = useLabels();
  const { lang } = useLang();
  const [open, setOpen] = useState(false);
  const [d, setD] = useState({
    id: '',
    district: 'jingan' as 'xuhui' | 'jingan' | 'qingpu',
    title: '',
    titleEn: '',
    issuer: '',
    issuerEn: '',
    issuedOn: '',
    reference: '',
    term: '',
    termEn: '',
    validFrom: '',
    validTo: '',
  });
  const [text, setText] = useState('');
  if (!open)
    return (
      <p>
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          {say('addDocument')}
        </button>
      </p>
    );
  const input = (k: keyof typeof d, label: DraftKey, type = 'text') => (
    <label className="field">
      <span>{say(label)}</span>
      <input type={type} value={d[k]} onChange={(e) => setD((x) => ({ ...x, [k]: e.target.value }))} />
    </label>
  );
  return (
    <form
      className="card add-document"
      aria-label={say('addDocument')}
      onSubmit={(e) => {
        e.preventDefault();
        void edit({
          action: 'add-document',
          document: {
            ...d,
            issuedOn: d.issuedOn || null,
            validFrom: d.validFrom || null,
            validTo: d.validTo || null,
            ...(d.reference ? { reference: d.reference } : { reference: undefined }),
          },
          text,
        }).then((ok) => {
          if (ok) {
            setOpen(false);
            onAdded(d.id);
          }
        });
      }}
    >
      <h3>{say('addDocument')}</h3>
      {input('id', 'docId')}
      <label className="field">
        <span>{say('district')}</span>
        <select value={d.district} onChange={(e) => setD((x) => ({ ...x, district: e.target.value as typeof d.district }))}>
          {(['xuhui', 'jingan', 'qingpu'] as const).map((c) => (
            <option key={c} value={c}>
              {labels.districtLabel(c, lang)}
            </option>
          ))}
        </select>
      </label>
      {input('title', 'title')}
      {input('titleEn', 'titleEnDoc')}
      {input('issuer', 'issuer')}
      {input('issuerEn', 'issuerEn')}
      {input('issuedOn', 'issuedOn', 'date')}
      {input('reference', 'reference')}
      {input('term', 'term')}
      {input('termEn', 'termEn')}
      <div className="row">
        {input('validFrom', 'validFrom', 'date')}
        {input('validTo', 'validTo', 'date')}
      </div>
      <label className="field">
        <span>{say('pasteText')}</span>
        <textarea rows={8} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {say('add')}
      </button>{' '}
      <button type="button" className="btn" onClick={() => setOpen(false)}>
        {say('cancel')}
      </button>
    </form>
  );
}

/** 试算 with the company form: the answer a company sees on the live version and on the draft, side by side. */
function TryDraft({ draftId, revision, form, setForm }: { draftId: string; revision: number; form: FormState; setForm: (f: FormState) => void }) {
  const say = useSay();
  const { lang } = useLang();
  const labels = useLabels();
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  // Answers of an earlier revision of the draft are not shown.
  const [answersOf, setAnswers] = useState<{ revision: number; live: MatchResponse; draft: MatchResponse } | null>(null);
  const answers = answersOf?.revision === revision ? answersOf : null;
  const [failure, setFailure] = useState<unknown>(null);
  const [link, setLink] = useState('');
  const [note, setNote] = useState('');
  const run = async () => {
    setBusy(true);
    setFailure(null);
    setErrors([]);
    try {
      const req = { ...toRequest(form, labels), lang };
      const [live, draft] = await Promise.all([post<MatchResponse>('/match', req), post<MatchResponse>('/match', { ...req, draft: draftId })]);
      setAnswers({ revision, live, draft });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 400 || e.status === 422)) setErrors(e.errors);
      else setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="try-h" className="try-draft">
      <h3 id="try-h">{say('tryTitle')}</h3>
      <p className="muted">{say('tryIntro')}</p>
      <div className="row">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            const saved = loadDraft();
            if (saved) setForm(saved);
            setNote(saved ? '' : say('noSaved'));
          }}
        >
          {say('loadSaved')}
        </button>
        <label className="field">
          <span>{say('shareLink')}</span>
          <input type="url" value={link} onChange={(e) => setLink(e.target.value)} />
        </label>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            const state = decodeShare(link.slice(link.indexOf('#')), labels);
            if (state) setForm(state);
            setNote(state ? '' : say('badShare'));
          }}
        >
          {say('loadShare')}
        </button>
      </div>
      {note ? <p className="note">{note}</p> : null}
      <ProfileForm
        key={JSON.stringify(form.values).length}
        form={form}
        setForm={(u) => setForm(u(form))}
        errors={errors}
        busy={busy}
        onSubmit={() => void run()}
        onEdit={() => setErrors([])}
      />
      {failure ? <ErrorNote error={failure} /> : null}
      {answers ? (
        <div className="try-compare">
          <div className="try-live">
            <h3 id="try-live-h">
              {say('liveAnswer')} <code className="muted">{answers.live.rulesetVersion}</code>
            </h3>
            <MatchesView res={answers.live} labelledBy="try-live-h" />
          </div>
          <div className="try-result">
            <h3 id="try-draft-h">
              {say('draftAnswer')} <code className="muted">{answers.draft.rulesetVersion}</code>
            </h3>
            <MatchesView res={answers.draft} labelledBy="try-draft-h" />
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** Starts a draft from the live version with nothing uploaded. */
export async function startDraft(description: string): Promise<DraftState> {
  const created = await post<{ id: string }>('/catalog/drafts', {
    format: 'policy-bundle/1',
    ...(description.trim() ? { description: description.trim() } : {}),
  });
  const r = await withRevision<DraftView>('GET', `/catalog/drafts/${created.id}`, null);
  return { view: r.body, etag: r.etag };
}

export async function openDraft(id: string): Promise<DraftState> {
  const r = await withRevision<DraftView>('GET', `/catalog/drafts/${id}`, null);
  return { view: r.body, etag: r.etag };
}
