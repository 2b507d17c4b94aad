import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import {
  API,
  ApiError,
  get,
  post,
  query,
  type CreatedDraft as Draft,
  type DraftFinding as Finding,
  type ExpiryItem,
  type ExpiryResponse as Expiry,
  type Officer,
  type RulesetDiff,
  type ScreeningImpact,
  type VersionList as Versions,
  type VersionPreview,
  type VersionSummary,
} from '../api';
import { ErrorNote, Loading } from '../components/bits';
import { formatDateTime, useLang } from '../i18n';
import { useFetch } from '../hooks/use-fetch';
import { Link } from '../router';
import { href } from '../routes';
import { useLabels } from '../taxonomy';
import { SignIn } from './officer/sign-in';
import { DraftEditor, FindingsTable, openDraft, startDraft, type DraftState } from './admin-draft';

/** The admins' 政策管理 page: start a draft (or upload a bundle), edit it in place, try it, publish with confirmation, roll back. */

type Pair = readonly [string, string];
const S = {
  title: ['政策管理', 'Policy management'],
  intro: [
    '在浏览器中更新政策库：从现行版本开始一份草稿，修改文件有效期、措施或新增文件，查看检查结果、变更和对已保存筛选的影响，用企业画像试算，确认后发布；任何时候都可以回退到之前的版本。',
    'Keep the catalog current in the browser: start a draft from the live version, change a document’s term, its measures or add a document, read the findings, the changes and the impact on saved screenings, try a company profile, then publish after confirming; any earlier version can be made live again.',
  ],
  adminsOnly: ['此页面仅限管理员。', 'This page is for administrators.'],
  start: ['开始编辑草稿', 'Start a draft'],
  startIntro: ['草稿从现行版本开始，不需要上传文件。', 'A draft starts from the live version; no file is needed.'],
  description: ['草稿说明（发布后显示在版本列表中）', 'What the draft does (shown in the version list once published)'],
  advanced: ['高级：上传政策包文件（批量修改、系统对接）', 'Advanced: upload a policy bundle file (bulk changes, integrations)'],
  upload: ['上传政策包（JSON）', 'Upload a policy bundle (JSON)'],
  uploading: ['正在检查…', 'Checking…'],
  chooseFile: ['选择政策包文件', 'Choose a bundle file'],
  notJson: ['文件不是有效的 JSON。', 'The file is not valid JSON.'],
  findings: ['检查发现的问题', 'Findings'],
  findingsIntro: ['以下问题修正后请重新上传；有问题的草稿不能发布。', 'Correct these and upload again; a draft with findings cannot be published.'],
  openDraft: ['在浏览器中修正此草稿', 'Correct this draft in the browser'],
  document: ['文件', 'Document'],
  rule: ['措施', 'Measure'],
  where: ['位置', 'Where'],
  publish: ['发布此草稿', 'Publish this draft'],
  confirmPublish: ['确认发布', 'Confirm and publish'],
  confirmTitle: ['发布前请确认', 'Before publishing'],
  willChange: [
    '发布后，所有用户立即看到新版本：新增 {a} 项措施，修改 {c} 项，撤回 {r} 项；{s} 个已保存筛选中有 {p} 家企业的适用措施会变化。',
    'Once published, everyone sees the new version at once: {a} measures added, {c} changed, {r} withdrawn; in {s} saved screenings, {p} prospects would gain or lose measures.',
  ],
  rollbackTitle: ['回退前请确认', 'Before rolling back'],
  willRollBack: [
    '将版本“{v}”设为现行后：新增 {a} 项措施，修改 {c} 项，撤回 {r} 项；{s} 个已保存筛选中有 {p} 家企业的适用措施会变化。',
    'Making “{v}” live again: {a} measures added, {c} changed, {r} withdrawn; in {s} saved screenings, {p} prospects would gain or lose measures.',
  ],
  confirmRollback: ['确认回退', 'Confirm and roll back'],
  cancel: ['取消', 'Cancel'],
  cannotPublish: ['有检查问题的草稿不能发布。', 'A draft with findings cannot be published.'],
  published: ['已发布，现行版本', 'Published; live version'],
  versions: ['版本', 'Versions'],
  actions: ['操作', 'Action'],
  live: ['现行', 'Live'],
  versionDescription: ['说明', 'Description'],
  version: ['版本号', 'Version'],
  origin: ['来源', 'Origin'],
  by: ['发布人', 'Published by'],
  at: ['发布时间', 'Published'],
  measures: ['措施数', 'Measures'],
  documents: ['文件数', 'Documents'],
  activate: ['设为现行（回退）', 'Make live (roll back)'],
  activated: ['已切换，现行版本', 'Switched; live version'],
  history: ['切换记录', 'Switch history'],
  expiry: ['到期看板', 'Expiry dashboard'],
  baseline: ['内置', 'shipped'],
  bundle: ['管理员发布', 'published by an administrator'],
  noDescription: ['（无说明）', '(no description)'],
  actionPublish: ['发布', 'published'],
  actionActivate: ['切换', 'made live'],
  actionBaseline: ['内置版本', 'shipped version'],
} satisfies Record<string, Pair>;

type Say = (k: keyof typeof S) => string;

export function AdminPage() {
  const { lang } = useLang();
  const s = (k: keyof typeof S): string => S[k][lang === 'zh' ? 0 : 1];
  const session = useFetch<Officer>('/officers/me');
  const [signedIn, setSignedIn] = useState<Officer | null>(null);
  const me = signedIn ?? session.data;
  if (!me && session.loading) return <Loading />;
  if (!me) return <SignIn onSignedIn={setSignedIn} />;
  if (me.role !== 'admin')
    return (
      <div className="page">
        <h1 className="page-title">{s('title')}</h1>
        <p className="note note-error">{s('adminsOnly')}</p>
      </div>
    );
  return <Lifecycle s={s} />;
}

const fill = (text: string, values: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

function counts(diff: RulesetDiff, screenings: ScreeningImpact[]): Record<string, number> {
  return {
    a: diff.added.length,
    c: diff.changed.length,
    r: diff.removed.length,
    s: screenings.filter((x) => x.prospectsAffected > 0).length,
    p: screenings.reduce((n, x) => n + x.prospectsAffected, 0),
  };
}

function Lifecycle({ s }: { s: Say }) {
  const { lang } = useLang();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [findings, setFindings] = useState<{ draftId: string | null; list: Finding[] } | null>(null);
  const [draft, setDraft] = useState<DraftState | null>(null);
  const [description, setDescription] = useState('');
  const [notice, setNotice] = useState('');
  const [versions, setVersions] = useState<Versions | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [rollback, setRollback] = useState<{ version: VersionSummary; preview: VersionPreview } | null>(null);

  const loadVersions = useCallback(() => {
    get<Versions>('/catalog/versions')
      .then(setVersions)
      .catch((e: unknown) => setFailure(e));
  }, []);
  useEffect(loadVersions, [loadVersions]);

  const begin = async () => {
    setBusy(true);
    setFailure(null);
    setNotice('');
    try {
      setDraft(await startDraft(description));
      setFindings(null);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setFailure(null);
    setFindings(null);
    setDraft(null);
    setNotice('');
    try {
      let bundle: unknown;
      try {
        bundle = JSON.parse(await file.text());
      } catch {
        setFindings({ draftId: null, list: [{ path: file.name, documentId: null, measureId: null, message: s('notJson') }] });
        return;
      }
      // Read directly: a refused draft's problem carries its findings with document and measure.
      const res = await fetch(`${API}/catalog/drafts`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(bundle),
      });
      const body = (await res.json()) as Draft & { draftId?: string; findings?: Finding[]; errors?: { path: string; message: string }[]; detail?: string };
      if (res.status === 201) setDraft(await openDraft(body.id));
      else if (res.status === 422)
        setFindings({ draftId: body.draftId ?? null, list: body.findings ?? (body.errors ?? []).map((x) => ({ ...x, documentId: null, measureId: null })) });
      else setFailure(new ApiError(res.status, '', body.detail ?? '', body.errors ?? []));
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    if (!draft) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await post<{ rulesetVersion: string }>(`/catalog/drafts/${draft.view.id}/publish`);
      setNotice(`${s('published')}：${draft.view.description ?? r.rulesetVersion}`);
      setDraft(null);
      setConfirming(false);
      loadVersions();
    } catch (err) {
      setConfirming(false);
      setFailure(err);
      // A 409 (another version published meanwhile) shows on the draft: reload it.
      if (err instanceof ApiError && err.status === 409) setDraft(await openDraft(draft.view.id));
    } finally {
      setBusy(false);
    }
  };

  const askRollback = async (v: VersionSummary) => {
    setBusy(true);
    setFailure(null);
    try {
      setRollback({ version: v, preview: await get<VersionPreview>(`/catalog/versions/${encodeURIComponent(v.rulesetVersion)}/preview`) });
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const activate = async (version: string) => {
    setBusy(true);
    try {
      const r = await post<{ rulesetVersion: string }>(`/catalog/versions/${encodeURIComponent(version)}/activate`);
      const named = versions?.items.find((v) => v.rulesetVersion === r.rulesetVersion);
      setNotice(`${s('activated')}：${named ? versionName(named) : r.rulesetVersion}`);
      setRollback(null);
      loadVersions();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const versionName = (v: VersionSummary): string => v.description ?? (v.origin === 'baseline' ? s('baseline') : s('noDescription'));
  const actionWord = (a: string): string => (a === 'publish' ? s('actionPublish') : a === 'activate' ? s('actionActivate') : s('actionBaseline'));

  return (
    <div className="page admin-page">
      <h1 className="page-title">{s('title')}</h1>
      <p className="muted">{s('intro')}</p>
      <p>
        <Link to={href('expiry')}>{s('expiry')}</Link>
      </p>
      {notice ? (
        <p className="note note-success" role="status">
          {notice}
        </p>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}

      {!draft ? (
        <section aria-labelledby="start-h">
          <h2 id="start-h">{s('start')}</h2>
          <p className="muted">{s('startIntro')}</p>
          <label className="field">
            <span>{s('description')}</span>
            <input type="text" value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <button type="button" className="btn btn-primary" onClick={() => void begin()} disabled={busy}>
            {s('start')}
          </button>
          <details className="advanced">
            <summary>{s('advanced')}</summary>
            <label className="field">
              <span>{s('chooseFile')}</span>
              <input type="file" accept="application/json,.json" onChange={(e) => void onFile(e)} disabled={busy} />
            </label>
          </details>
          {busy ? <Loading label={s('uploading')} /> : null}
        </section>
      ) : null}

      {findings ? (
        <section aria-labelledby="findings-h" className="note note-error">
          <h2 id="findings-h">{s('findings')}</h2>
          <p>{s('findingsIntro')}</p>
          <FindingsTable findings={findings.list} headers={[s('document'), s('rule'), s('where'), s('findings')]} />
          {findings.draftId ? (
            <button
              type="button"
              className="btn"
              onClick={() =>
                void openDraft(findings.draftId!)
                  .then((d) => (setDraft(d), setFindings(null)))
                  .catch(setFailure)
              }
            >
              {s('openDraft')}
            </button>
          ) : null}
        </section>
      ) : null}

      {draft ? (
        <DraftEditor
          state={draft}
          setState={setDraft}
          footer={(impact) => (
            <div className="publish-bar">
              {confirming ? (
                <div className="confirm card" role="alertdialog" aria-labelledby="confirm-h" aria-describedby="confirm-text">
                  <h3 id="confirm-h">{s('confirmTitle')}</h3>
                  <p id="confirm-text">{fill(s('willChange'), counts(draft.view.diff, impact?.screenings ?? []))}</p>
                  <button type="button" className="btn btn-primary" onClick={() => void publish()} disabled={busy}>
                    {s('confirmPublish')}
                  </button>{' '}
                  <button type="button" className="btn" onClick={() => setConfirming(false)}>
                    {s('cancel')}
                  </button>
                </div>
              ) : (
                <>
                  <button
                    type="button"
                    className="btn btn-primary"
                    onClick={() => setConfirming(true)}
                    disabled={busy || !impact || draft.view.findings.length > 0 || !draft.view.basedOnLive}
                  >
                    {s('publish')}
                  </button>
                  {draft.view.findings.length > 0 ? <span className="muted"> {s('cannotPublish')}</span> : null}
                </>
              )}
            </div>
          )}
        />
      ) : null}

      <section aria-labelledby="versions-h">
        <h2 id="versions-h">{s('versions')}</h2>
        {rollback ? (
          <div className="confirm card" role="alertdialog" aria-labelledby="rollback-h" aria-describedby="rollback-text">
            <h3 id="rollback-h">{s('rollbackTitle')}</h3>
            <p id="rollback-text">
              {fill(s('willRollBack'), { v: versionName(rollback.version), ...counts(rollback.preview.diff, rollback.preview.screenings) })}
            </p>
            <button type="button" className="btn btn-primary" onClick={() => void activate(rollback.version.rulesetVersion)} disabled={busy}>
              {s('confirmRollback')}
            </button>{' '}
            <button type="button" className="btn" onClick={() => setRollback(null)}>
              {s('cancel')}
            </button>
          </div>
        ) : null}
        {!versions ? (
          <Loading />
        ) : (
          <>
            <div className="table-wrap">
              <table className="table data-table versions">
                <thead>
                  <tr>
                    <th scope="col">{s('versionDescription')}</th>
                    <th scope="col">{s('at')}</th>
                    <th scope="col">{s('by')}</th>
                    <th scope="col" className="num">
                      {s('measures')}
                    </th>
                    <th scope="col" className="num">
                      {s('documents')}
                    </th>
                    <th scope="col">{s('version')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{s('activate')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {versions.items.map((v) => (
                    <tr key={v.rulesetVersion} className={v.live ? 'live' : undefined}>
                      <td>
                        {versionName(v)} {v.live ? <span className="badge badge-in-force">{s('live')}</span> : null}
                      </td>
                      <td className="nowrap">{formatDateTime(v.publishedAt, lang)}</td>
                      <td>{v.origin === 'baseline' ? s('baseline') : (v.publisherName ?? '—')}</td>
                      <td className="num">{v.measures}</td>
                      <td className="num">{v.documents}</td>
                      <td>
                        <details>
                          <summary>{s('version')}</summary>
                          <code>{v.rulesetVersion}</code>
                        </details>
                      </td>
                      <td>
                        {v.live ? null : (
                          <button type="button" className="btn btn-small" onClick={() => void askRollback(v)} disabled={busy}>
                            {s('activate')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3>{s('history')}</h3>
            <ul className="activations">
              {versions.activations.map((a, i) => (
                <li key={i}>
                  <span className="nowrap">{formatDateTime(a.at, lang)}</span> · {actionWord(a.action)} ·{' '}
                  {versionName(
                    versions.items.find((v) => v.rulesetVersion === a.rulesetVersion) ??
                      ({ description: a.rulesetVersion, origin: 'bundle' } as VersionSummary),
                  )}{' '}
                  · {a.by === 'baseline' ? s('baseline') : a.by}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

const E = {
  title: ['到期看板', 'Expiry dashboard'],
  within: ['天内到期', 'days: expiring within'],
  expiring: ['即将到期的措施', 'Measures expiring'],
  expired: ['已到期且无后续的措施', 'Measures expired with no successor'],
  prioritiesExpiring: ['即将到期的重点方向', 'Priorities expiring'],
  prioritiesExpired: ['已到期且无后续的重点方向', 'Priorities expired with no successor'],
  priorities: ['重点方向（无需申请，单独统计）', 'Priorities (nothing to apply for; counted apart)'],
  district: ['区', 'District'],
  department: ['部门', 'Department'],
  validTo: ['截止', 'Ends'],
  back: ['返回政策管理', 'Back to policy management'],
} satisfies Record<string, Pair>;

/** Measures ending soon and measures ended with nothing after them, by district and department (admins and officers); priorities apart. */
export function ExpiryPage() {
  const { lang } = useLang();
  const labels = useLabels();
  const e = (k: keyof typeof E): string => E[k][lang === 'zh' ? 0 : 1];
  const [days, setDays] = useState(90);
  const { data, error: failure, reload } = useFetch<Expiry>(`/catalog/expiry${query({ days })}`);
  if (failure instanceof ApiError && failure.status === 401) return <SignIn onSignedIn={reload} />;
  const name = (x: { name: string; nameEn: string }): string => (lang === 'zh' ? x.name : x.nameEn);
  const district = (code: string): string => labels.districtLabel(code, lang);
  const list = (items: ExpiryItem[], caption: string) => (
    <div className="table-wrap">
      <table className="table data-table expiry-list">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{e('district')}</th>
            <th scope="col">{S.rule[lang === 'zh' ? 0 : 1]}</th>
            <th scope="col">{e('department')}</th>
            <th scope="col" className="nowrap">
              {e('validTo')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.measureId}>
              <td className="nowrap">{district(m.district)}</td>
              <td>
                <Link to={href('measure', { id: m.measureId })}>{lang === 'zh' ? m.title : m.titleEn}</Link>
              </td>
              <td>{m.departments.map(name).join('、')}</td>
              <td className="nowrap date">{m.validTo}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  const measures = (items: ExpiryItem[]) => items.filter((m) => m.kind !== 'priority');
  const priorities = (items: ExpiryItem[]) => items.filter((m) => m.kind === 'priority');
  return (
    <div className="page expiry-page">
      <h1 className="page-title">{e('title')}</h1>
      <p>
        <Link to={href('admin')}>{e('back')}</Link>
      </p>
      <label className="field">
        <span>{e('within')}</span>
        <input type="number" min={0} max={9999} value={days} onChange={(ev) => setDays(Math.max(0, Math.min(9999, Number(ev.target.value) || 0)))} />
      </label>
      {failure ? <ErrorNote error={failure} /> : !data ? <Loading /> : null}
      {data ? (
        <>
          <div className="table-wrap">
            <table className="table data-table by-district">
              <thead>
                <tr>
                  <th scope="col">{e('district')}</th>
                  <th scope="col" className="num">
                    {e('expiring')}
                  </th>
                  <th scope="col" className="num">
                    {e('expired')}
                  </th>
                  <th scope="col" className="num">
                    {e('prioritiesExpiring')}
                  </th>
                  <th scope="col" className="num">
                    {e('prioritiesExpired')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.byDistrict.map((d) => (
                  <tr key={d.district}>
                    <th scope="row">{district(d.district)}</th>
                    <td className="num">{d.expiring}</td>
                    <td className="num">{d.expiredWithoutSuccessor}</td>
                    <td className="num">{d.prioritiesExpiring}</td>
                    <td className="num">{d.prioritiesExpiredWithoutSuccessor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>
            {e('expiring')} ({measures(data.expiring).length})
          </h2>
          {list(measures(data.expiring), e('expiring'))}
          <h2>
            {e('expired')} ({measures(data.expiredWithoutSuccessor).length})
          </h2>
          {list(measures(data.expiredWithoutSuccessor), e('expired'))}
          <h2>{e('department')}</h2>
          <div className="table-wrap">
            <table className="table data-table by-department">
              <thead>
                <tr>
                  <th scope="col">{e('department')}</th>
                  <th scope="col">{e('district')}</th>
                  <th scope="col" className="num">
                    {e('expiring')}
                  </th>
                  <th scope="col" className="num">
                    {e('expired')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.byDepartment.map((d) => (
                  <tr key={d.departmentId}>
                    <td>{name(d)}</td>
                    <td className="nowrap">{district(d.district)}</td>
                    <td className="num">{d.expiring}</td>
                    <td className="num">{d.expiredWithoutSuccessor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details className="expiry-priorities">
            <summary>
              <h2>{e('priorities')}</h2>
            </summary>
            <h3>
              {e('prioritiesExpiring')} ({priorities(data.expiring).length})
            </h3>
            {list(priorities(data.expiring), e('prioritiesExpiring'))}
            <h3>
              {e('prioritiesExpired')} ({priorities(data.expiredWithoutSuccessor).length})
            </h3>
            {list(priorities(data.expiredWithoutSuccessor), e('prioritiesExpired'))}
          </details>
        </>
      ) : null}
    </div>
  );
}
