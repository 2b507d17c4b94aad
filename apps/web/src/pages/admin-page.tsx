import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import {
  API,
  ApiError,
  get,
  post,
  query,
  type CreatedDraft as Draft,
  type DraftFinding as Finding,
  type DraftImpact as Impact,
  type ExpiryItem,
  type ExpiryResponse as Expiry,
  type MatchResponse,
  type Officer,
  type VersionList as Versions,
} from '../api';
import { ErrorNote, Loading } from '../components/bits';
import { formatDateTime, useLang } from '../i18n';
import { useFetch } from '../hooks/use-fetch';
import { Link } from '../router';
import { href } from '../routes';
import { SignIn } from './officer/sign-in';

/** The admins' 政策管理 page: upload a bundle, read its findings, diff and impact, try it, publish, roll back. */

type Pair = readonly [string, string];
const S = {
  title: ['政策管理', 'Policy management'],
  intro: [
    '上传政策包（新文件、修订规则或撤回文件），检查通过后查看变更和对已保存筛选的影响，试算企业画像，再发布；任何时候都可以回退到之前的版本。',
    'Upload a policy bundle (new documents, revised rules or withdrawals). Once it passes the checks, read what changes and how saved screenings are affected, try a profile, then publish; any earlier version can be made live again.',
  ],
  adminsOnly: ['此页面仅限管理员。', 'This page is for administrators.'],
  upload: ['上传政策包（JSON）', 'Upload a policy bundle (JSON)'],
  uploading: ['正在检查…', 'Checking…'],
  chooseFile: ['选择政策包文件', 'Choose a bundle file'],
  notJson: ['文件不是有效的 JSON。', 'The file is not valid JSON.'],
  findings: ['检查发现的问题', 'Findings'],
  findingsIntro: ['以下问题修正后请重新上传；有问题的草稿不能发布。', 'Correct these and upload again; a draft with findings cannot be published.'],
  document: ['文件', 'Document'],
  rule: ['措施', 'Measure'],
  where: ['位置', 'Where'],
  draftOk: ['检查通过。草稿版本', 'All checks pass. Draft version'],
  diff: ['与现行版本相比', 'Compared with the live version'],
  added: ['新增措施', 'Measures added'],
  removed: ['删除措施', 'Measures removed'],
  changed: ['修改措施', 'Measures changed'],
  none: ['无', 'None'],
  impact: ['对已保存筛选的影响', 'Impact on saved screenings'],
  noScreenings: ['暂无已保存的筛选。', 'No saved screenings.'],
  screening: ['筛选', 'Screening'],
  prospects: ['企业数', 'Prospects'],
  affected: ['受影响', 'Affected'],
  gains: ['新增适用', 'Would gain'],
  loses: ['不再适用', 'Would lose'],
  tryProfile: ['用企业画像试算草稿', 'Try a profile against the draft'],
  tryHint: ['填写画像 JSON（与 POST /match 的 profile 相同）。', 'A profile as JSON (as in POST /match).'],
  asOf: ['评估日期', 'Date'],
  run: ['试算', 'Try'],
  inForceMatches: ['适用且有效的措施', 'Measures that apply and are in force'],
  publish: ['发布此草稿', 'Publish this draft'],
  published: ['已发布，现行版本', 'Published; live version'],
  versions: ['版本', 'Versions'],
  actions: ['操作', 'Action'],
  live: ['现行', 'Live'],
  version: ['版本', 'Version'],
  origin: ['来源', 'Origin'],
  by: ['发布人', 'Published by'],
  at: ['时间', 'When'],
  measures: ['措施数', 'Measures'],
  activate: ['设为现行（回退）', 'Make live (roll back)'],
  activated: ['已切换，现行版本', 'Switched; live version'],
  history: ['切换记录', 'Switch history'],
  expiry: ['到期看板', 'Expiry dashboard'],
  baseline: ['内置', 'shipped'],
  bundle: ['政策包', 'bundle'],
} satisfies Record<string, Pair>;

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

function Lifecycle({ s }: { s: (k: keyof typeof S) => string }) {
  const { lang } = useLang();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [impact, setImpact] = useState<Impact | null>(null);
  const [notice, setNotice] = useState('');
  const [versions, setVersions] = useState<Versions | null>(null);

  const loadVersions = useCallback(() => {
    get<Versions>('/catalog/versions')
      .then(setVersions)
      .catch((e: unknown) => setFailure(e));
  }, []);
  useEffect(loadVersions, [loadVersions]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setFailure(null);
    setFindings(null);
    setDraft(null);
    setImpact(null);
    setNotice('');
    try {
      let bundle: unknown;
      try {
        bundle = JSON.parse(await file.text());
      } catch {
        setFindings([{ path: file.name, documentId: null, measureId: null, message: s('notJson') }]);
        return;
      }
      // Read directly: a refused draft's problem carries its findings with document and measure.
      const res = await fetch(`${API}/catalog/drafts`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(bundle),
      });
      const body = (await res.json()) as Draft & { findings?: Finding[]; errors?: { path: string; message: string }[]; detail?: string };
      if (res.status === 201) {
        setDraft(body);
        setImpact(await get<Impact>(`/catalog/drafts/${body.id}/impact`));
      } else if (res.status === 422) setFindings(body.findings ?? (body.errors ?? []).map((x) => ({ ...x, documentId: null, measureId: null })));
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
    try {
      const r = await post<{ rulesetVersion: string }>(`/catalog/drafts/${draft.id}/publish`);
      setNotice(`${s('published')} ${r.rulesetVersion}`);
      setDraft(null);
      setImpact(null);
      loadVersions();
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
      setNotice(`${s('activated')} ${r.rulesetVersion}`);
      loadVersions();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const title = (x: { title: string; titleEn: string }): string => (lang === 'zh' ? x.title : x.titleEn);

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

      <section aria-labelledby="upload-h">
        <h2 id="upload-h">{s('upload')}</h2>
        <label className="field">
          <span>{s('chooseFile')}</span>
          <input type="file" accept="application/json,.json" onChange={(e) => void onFile(e)} disabled={busy} />
        </label>
        {busy ? <Loading label={s('uploading')} /> : null}
      </section>

      {findings ? (
        <section aria-labelledby="findings-h" className="note note-error">
          <h2 id="findings-h">{s('findings')}</h2>
          <p>{s('findingsIntro')}</p>
          <table className="data-table findings">
            <thead>
              <tr>
                <th scope="col">{s('document')}</th>
                <th scope="col">{s('rule')}</th>
                <th scope="col">{s('where')}</th>
                <th scope="col">{s('findings')}</th>
              </tr>
            </thead>
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
        </section>
      ) : null}

      {draft ? (
        <>
          <section aria-labelledby="diff-h">
            <p className="note note-success">
              {s('draftOk')} <code>{draft.rulesetVersion}</code>
            </p>
            <h2 id="diff-h">{s('diff')}</h2>
            <p className="diff-summary">{draft.diff.summary[lang]}</p>
            {(['added', 'removed', 'changed'] as const).map((k) => (
              <div key={k} className={`diff-${k}`}>
                <h3>{s(k)}</h3>
                {draft.diff[k].length === 0 ? (
                  <p className="muted">{s('none')}</p>
                ) : (
                  <ul>
                    {draft.diff[k].map((m) => (
                      <li key={m.measureId}>
                        <strong>{title(m)}</strong> <code>{m.measureId}</code>
                        {'changes' in m && m.changes.length ? (
                          <ul>
                            {m.changes.map((c, i) => (
                              <li key={i}>{c[lang]}</li>
                            ))}
                          </ul>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ))}
          </section>

          <section aria-labelledby="impact-h">
            <h2 id="impact-h">{s('impact')}</h2>
            {!impact ? (
              <Loading />
            ) : impact.screenings.length === 0 ? (
              <p className="muted">{s('noScreenings')}</p>
            ) : (
              <table className="data-table impact">
                <thead>
                  <tr>
                    <th scope="col">{s('screening')}</th>
                    <th scope="col">{s('prospects')}</th>
                    <th scope="col">{s('affected')}</th>
                    <th scope="col">{s('gains')}</th>
                    <th scope="col">{s('loses')}</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.screenings.map((x) => (
                    <tr key={x.screeningId}>
                      <td>
                        <Link to={href('screening', { id: x.screeningId })}>{x.name}</Link> <span className="muted">({x.asOf})</span>
                      </td>
                      <td>{x.prospects}</td>
                      <td>{x.prospectsAffected}</td>
                      <td>{x.gained.map((c) => `${title(c)} (${c.prospects})`).join('；') || '—'}</td>
                      <td>{x.lost.map((c) => `${title(c)} (${c.prospects})`).join('；') || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <TryDraft draftId={draft.id} s={s} />

          <p>
            <button type="button" className="btn btn-primary" onClick={() => void publish()} disabled={busy}>
              {s('publish')}
            </button>
          </p>
        </>
      ) : null}

      <section aria-labelledby="versions-h">
        <h2 id="versions-h">{s('versions')}</h2>
        {!versions ? (
          <Loading />
        ) : (
          <>
            <table className="data-table versions">
              <thead>
                <tr>
                  <th scope="col">{s('version')}</th>
                  <th scope="col">{s('origin')}</th>
                  <th scope="col">{s('measures')}</th>
                  <th scope="col">{s('by')}</th>
                  <th scope="col">{s('at')}</th>
                  <th scope="col">{s('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {versions.items.map((v) => (
                  <tr key={v.rulesetVersion} className={v.live ? 'live' : undefined}>
                    <td>
                      <code>{v.rulesetVersion}</code> {v.live ? <span className="badge badge-in-force">{s('live')}</span> : null}
                    </td>
                    <td>{v.origin === 'baseline' ? s('baseline') : s('bundle')}</td>
                    <td>{v.measures}</td>
                    <td>{v.publishedBy ?? '—'}</td>
                    <td>{formatDateTime(v.publishedAt, lang)}</td>
                    <td>
                      {v.live ? null : (
                        <button type="button" className="btn btn-small" onClick={() => void activate(v.rulesetVersion)} disabled={busy}>
                          {s('activate')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{s('history')}</h3>
            <ul className="activations">
              {versions.activations.map((a, i) => (
                <li key={i}>
                  {formatDateTime(a.at, lang)} · {a.action} · <code>{a.rulesetVersion}</code> · {a.by}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

function TryDraft({ draftId, s }: { draftId: string; s: (k: keyof typeof S) => string }) {
  const { lang } = useLang();
  const [profile, setProfile] = useState('{\n  "location": { "district": "jingan" }\n}');
  const [asOf, setAsOf] = useState('');
  const [result, setResult] = useState<MatchResponse | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const run = async () => {
    setFailure(null);
    setResult(null);
    try {
      setResult(await post<MatchResponse>('/match', { profile: JSON.parse(profile) as unknown, draft: draftId, ...(asOf ? { asOf } : {}), lang }));
    } catch (err) {
      setFailure(err instanceof SyntaxError ? new ApiError(400, '', S.notJson[lang === 'zh' ? 0 : 1], []) : err);
    }
  };
  const inForce = result?.matches.filter((m) => m.status === 'in-force') ?? [];
  return (
    <section aria-labelledby="try-h">
      <h2 id="try-h">{s('tryProfile')}</h2>
      <label className="field">
        <span>{s('tryHint')}</span>
        <textarea rows={5} value={profile} onChange={(e) => setProfile(e.target.value)} className="try-profile" />
      </label>
      <label className="field">
        <span>{s('asOf')}</span>
        <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} className="try-as-of" />
      </label>
      <button type="button" className="btn" onClick={() => void run()}>
        {s('run')}
      </button>
      {failure ? <ErrorNote error={failure} /> : null}
      {result ? (
        <div className="try-result">
          <h3>
            {s('inForceMatches')} ({inForce.length}) <code className="muted">{result.rulesetVersion}</code>
          </h3>
          <ul>
            {inForce.map((m) => (
              <li key={m.measureId}>
                {lang === 'zh' ? m.title : m.titleEn} <code>{m.measureId}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

const E = {
  title: ['到期看板', 'Expiry dashboard'],
  within: ['天内到期', 'days: expiring within'],
  expiring: ['即将到期', 'Expiring'],
  expired: ['已到期且无后续措施', 'Expired with no successor'],
  district: ['区', 'District'],
  department: ['部门', 'Department'],
  validTo: ['截止', 'Ends'],
  back: ['返回政策管理', 'Back to policy management'],
} satisfies Record<string, Pair>;

/** Measures ending soon and measures ended with nothing after them, by district and department (admins and officers). */
export function ExpiryPage() {
  const { lang } = useLang();
  const e = (k: keyof typeof E): string => E[k][lang === 'zh' ? 0 : 1];
  const [days, setDays] = useState(90);
  const { data, error: failure, reload } = useFetch<Expiry>(`/catalog/expiry${query({ days })}`);
  if (failure instanceof ApiError && failure.status === 401) return <SignIn onSignedIn={reload} />;
  const name = (x: { name: string; nameEn: string }): string => (lang === 'zh' ? x.name : x.nameEn);
  const list = (items: ExpiryItem[]) => (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">{e('district')}</th>
          <th scope="col">{S.rule[lang === 'zh' ? 0 : 1]}</th>
          <th scope="col">{e('department')}</th>
          <th scope="col">{e('validTo')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((m) => (
          <tr key={m.measureId}>
            <td>{m.district}</td>
            <td>
              <Link to={href('measure', { id: m.measureId })}>{lang === 'zh' ? m.title : m.titleEn}</Link>
            </td>
            <td>{m.departments.map(name).join('、')}</td>
            <td>{m.validTo}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
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
          <table className="data-table by-district">
            <thead>
              <tr>
                <th scope="col">{e('district')}</th>
                <th scope="col">{e('expiring')}</th>
                <th scope="col">{e('expired')}</th>
              </tr>
            </thead>
            <tbody>
              {data.byDistrict.map((d) => (
                <tr key={d.district}>
                  <td>{d.district}</td>
                  <td>{d.expiring}</td>
                  <td>{d.expiredWithoutSuccessor}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>
            {e('expiring')} ({data.expiring.length})
          </h2>
          {list(data.expiring)}
          <h2>
            {e('expired')} ({data.expiredWithoutSuccessor.length})
          </h2>
          {list(data.expiredWithoutSuccessor)}
          <h2>{e('department')}</h2>
          <table className="data-table by-department">
            <thead>
              <tr>
                <th scope="col">{e('department')}</th>
                <th scope="col">{e('district')}</th>
                <th scope="col">{e('expiring')}</th>
                <th scope="col">{e('expired')}</th>
              </tr>
            </thead>
            <tbody>
              {data.byDepartment.map((d) => (
                <tr key={d.departmentId}>
                  <td>{name(d)}</td>
                  <td>{d.district}</td>
                  <td>{d.expiring}</td>
                  <td>{d.expiredWithoutSuccessor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
