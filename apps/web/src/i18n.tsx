import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from './api';

/**
 * Interface words only. Every label of a profile field or code comes from GET /api/v1/taxonomy, so the
 * form and the API can never disagree; these are the buttons, headings and sentences around them.
 */
const STRINGS = {
  appName: ['上海三区政策匹配', 'Shanghai district policy matcher'],
  appTagline: ['徐汇 · 静安 · 青浦 产业扶持政策', 'Xuhui · Jing’an · Qingpu industrial support measures'],
  skipToContent: ['跳到主要内容', 'Skip to main content'],
  navMatch: ['政策匹配', 'Match'],
  navCompare: ['三区对比', 'Compare districts'],
  navCatalog: ['政策目录', 'Catalog'],
  navOfficer: ['招商筛选', 'Officer desk'],
  switchLang: ['English', '中文'],
  switchLangLabel: ['Switch to English', '切换到中文'],
  loading: ['加载中…', 'Loading…'],
  networkError: ['无法连接服务，请稍后重试。', 'Cannot reach the service; please try again.'],
  retry: ['重试', 'Retry'],
  notFound: ['页面不存在。', 'Page not found.'],
  backHome: ['返回政策匹配', 'Back to matching'],

  introTitle: ['哪些政策适用于您的企业？', 'Which support measures apply to your company?'],
  introText: [
    '选择注册所在区和行业即可得到结果；补充的信息越多，结果越准。',
    'Choose your district and sector to get an answer; every extra fact makes it sharper.',
  ],
  privacyTitle: ['隐私说明', 'Privacy'],
  privacyText: [
    '企业名称和统一社会信用代码只保存在本浏览器（用于导出和分享链接），从不发送给服务。查询时服务只收到用于匹配的事实（所在区、行业、资质、计划、指标等）和查询选项，并记录这些事实、匹配到的措施编号、规则版本和时间，以便复核结果；记录不含企业身份，保存 {days} 天后自动删除，任何招商人员和管理员都无法在服务中查看。请求日志只记录地址、状态和耗时。',
    'Your company name and credit code stay in this browser (for downloads and links) and are never sent to the service. A query sends only the matching facts (district, sectors, qualifications, plans, metrics…) and its options; the service records those facts, the ids of the measures in the answer, the ruleset version and the time, so that an answer can be reproduced. The record carries nothing that identifies the company, is deleted after {days} days, and no officer or administrator can read it in the service. Request logs hold only the address, status and timing.',
  ],
  quickStart: ['必填两项即可开始', 'Two answers are enough to start'],
  sectionLocation: ['注册地', 'Location'],
  sectionSectors: ['行业', 'Sectors'],
  sectionHeadquarters: ['总部', 'Headquarters'],
  sectionQualifications: ['资质', 'Qualifications'],
  sectionRoles: ['主体类型', 'Roles'],
  sectionCompany: ['企业概况', 'Company'],
  sectionPlans: ['发展计划', 'Plans'],
  sectionTalent: ['人才', 'Talent'],
  sectionMetrics: ['经营指标', 'Metrics'],
  sectionOptions: ['匹配选项', 'Options'],
  optional: ['选填', 'optional'],
  required: ['必填', 'required'],
  selectedCount: ['已选 {n} 项', '{n} selected'],
  chooseOne: ['请选择', 'Choose'],
  notSpecified: ['不填（未知）', 'Not given (unknown)'],
  areaNone: ['不在重点功能区 / 不确定', 'None / not sure'],
  areaOtherDistrict: ['仅适用于徐汇、静安、青浦', 'Only for Xuhui, Jing’an and Qingpu'],
  companyName: ['企业名称', 'Company name'],
  companyNameHint: [
    '只保存在本浏览器，用于导出和分享链接；不发送，不参与匹配',
    'Kept in this browser for downloads and links; never sent, not used for matching',
  ],
  uscc: ['统一社会信用代码', 'Unified social credit code'],
  usccHint: ['18 位，营业执照上可见（选填）；只保存在本浏览器，不发送', '18 characters, on the business licence (optional); kept in this browser, never sent'],
  sectorSearch: ['搜索行业', 'Search sectors'],
  sectorSearchPlaceholder: ['输入关键词，如 检测、芯片、AI', 'Type a word, e.g. testing, chip, AI'],
  sectorNoMatch: ['没有符合的行业', 'No sector matches'],
  sectorWhole: ['整个大类', 'whole sector'],
  sectorExpand: ['展开 {name}', 'Expand {name}'],
  sectorCollapse: ['收起 {name}', 'Collapse {name}'],
  extensionMark: ['补充类别', 'extra category'],
  remove: ['移除 {name}', 'Remove {name}'],
  nothingSelected: ['尚未选择', 'Nothing selected yet'],
  asOf: ['按此日期判断政策是否有效', 'Judge validity as of'],
  asOfHint: ['默认今天（上海时间）；可改为申报日期', 'Today in Shanghai by default; set your application date'],
  includeExpired: ['包括已到期的政策', 'Include expired measures'],
  includeExpiredHint: ['已到期的政策会标出到期日期并排在后面', 'Expired ones are flagged with their end date and listed last'],
  districtsToCheck: ['评估哪些区', 'Districts to evaluate'],
  districtsToCheckHint: ['默认只看注册所在区；勾选其他区即按“迁入”情景评估', 'Your own district by default; others are evaluated as if you relocated'],
  submit: ['查看匹配结果', 'Show matching measures'],
  submitting: ['匹配中…', 'Matching…'],
  resetForm: ['清空表单', 'Clear form'],
  resetConfirm: ['确定清空已填写的内容吗？', 'Clear everything you entered?'],
  draftSaved: ['草稿已自动保存在本浏览器', 'Draft saved in this browser'],
  fixErrors: ['请修改以下内容：', 'Please fix the following:'],
  needDistrict: ['请选择注册所在区', 'Choose the district of registration'],

  resultsTitle: ['匹配结果', 'Results'],
  jumpToResults: ['↓ 查看结果（{n} 项符合）', '↓ See the results ({n} match)'],
  allExpired: [
    '按 {date} 判断，这些政策均已到期。如需了解某一日期（如申报日）是否有效，请修改判断日期。',
    'As of {date} all of these have expired. To check another date (your application date, say), change the date.',
  ],
  changeDate: ['修改判断日期', 'Change the date'],
  resultsEmpty: ['填好左侧表单并提交，结果会显示在这里。', 'Fill in the form and submit; results appear here.'],
  resultsAsOf: ['按 {date} 判断', 'as of {date}'],
  summaryLine: [
    '{district}：{n} 项符合（有效 {inForce} 项 · 期限未载明 {termUnknown} 项 · 已到期 {expired} 项）',
    '{district}: {n} match ({inForce} in force · {termUnknown} term unknown · {expired} expired)',
  ],
  onlyInForce: ['隐藏已到期的政策', 'Hide expired'],
  downloadCsv: ['下载 CSV', 'Download CSV'],
  downloadJson: ['下载 JSON', 'Download JSON'],
  print: ['打印', 'Print'],
  copyLink: ['复制分享链接', 'Copy share link'],
  linkCopied: ['链接已复制', 'Link copied'],
  linkCopyFailed: ['无法复制，请从地址栏复制', 'Could not copy; use the address bar'],
  compareLink: ['三区对比', 'Compare the three districts'],
  noMatches: ['暂无完全符合的政策。请看下方“差一点符合”，补充信息后再试。', 'No measure fully applies yet. See the near misses below and add what is missing.'],
  noMatchesNoNear: [
    '暂无完全符合的政策，也没有差一点符合的政策。可以补充企业信息（计划、资质、人才等）后重新匹配，或查看“三区对比”。',
    'No measure applies, and none is within reach. Add more about the company (plans, qualifications, talent) and match again, or compare the three districts.',
  ],
  noInForceHidden: [
    '没有有效的匹配政策（已到期的已隐藏）。可以显示已到期的政策，或修改判断日期。',
    'No matching measure is in force (expired ones are hidden). Show the expired ones, or change the date.',
  ],
  showExpired: ['显示已到期的政策', 'Show expired measures'],
  measuresCount: ['{n} 项', '{n}'],
  departmentGroup: ['责任部门', 'Department'],
  statusInForce: ['有效', 'In force'],
  statusInForceUntil: ['有效，至 {date}', 'In force until {date}'],
  statusExpired: ['已于 {date} 到期', 'Expired on {date}'],
  statusExpiredNoDate: ['已到期', 'Expired'],
  endsInDays: ['{n} 天后到期', 'ends in {n} days'],
  endsToday: ['今天到期', 'ends today'],
  statusNotYet: ['{date} 起生效', 'In force from {date}'],
  statusUnknown: ['期限未载明', 'Term unknown'],
  relocation: ['迁入情景', 'If relocated'],
  departments: ['责任部门', 'Departments'],
  inferred: ['推断', 'inferred'],
  inferredTitle: ['原文未写明责任部门，按政策内容推断', 'The document names no department; inferred from the subject'],
  whyMatched: ['为什么符合', 'Why it matches'],
  source: ['原文', 'Source'],
  viewInDocument: ['在原文中查看', 'View in the document'],
  measureDetails: ['政策详情', 'Measure details'],
  supportType: ['支持方式', 'Support'],

  summaryCounts: [
    '符合 {total} 项：有效 {inForce} 项 · 期限未载明 {termUnknown} 项 · 已到期 {expired} 项 · 尚未生效 {notYet} 项',
    '{total} match: {inForce} in force · {termUnknown} term unknown · {expired} expired · {notYet} not yet in force',
  ],
  summaryMore: ['差一点符合 {near} 项 · 相关重点发展方向 {priorities} 项', '{near} within reach · {priorities} district priorities'],
  termUnknownNote: ['期限未载明，请向责任部门确认', 'No term stated: confirm with the responsible department'],
  targeted: ['针对性措施', 'Targeted'],
  general: ['普惠性措施', 'For every company here'],
  targetedTitle: ['符合条件取决于您企业的具体情况', 'Depends on what your company is or does'],
  generalTitle: ['区内所有企业均可适用', 'Open to every company in the district'],
  prioritiesTitle: ['提到您的重点发展方向', 'District priorities that name your company'],
  prioritiesIntro: [
    '区里在规划中提出重点发展或引进以下方向，其中提到了您的行业、区域或计划。它们不是可申请的政策；规划期已结束的，标为已到期。',
    'In its plans the district set out to develop or attract these; they name your sector, area or plans. Nothing to apply for; those of a plan period that has ended are marked expired.',
  ],
  prioritiesNames: ['涉及您的：{words}', 'Names your: {words}'],
  nearNeedsInfoTitle: ['补充信息即可判断', 'Answer to decide'],
  nearNeedsInfoIntro: [
    '这些政策只差您尚未填写的信息，回答下方问题即可判断。',
    'These depend only on facts you have not given yet: answer the questions below.',
  ],
  nearOneChangeTitle: ['改变一项即可符合', 'One change away'],
  nearOneChangeIntro: [
    '这些政策只有一项条件未满足，而且是企业可以改变的（计划、资质、人才、区域或经营指标）。',
    'One condition is not met, and it is one a company can change (plans, qualifications, talent, area or figures).',
  ],
  nearTotal: ['共 {total} 项，显示最相关的 {shown} 项', '{total} in all; the {shown} most relevant shown'],
  nearAll: ['共 {total} 项', '{total} in all'],
  groupCount: ['显示 {shown} / 共 {total} 项', '{shown} of {total} shown'],
  nearShowAll: ['显示全部 {total} 项', 'Show all {total}'],
  answerYes: ['有', 'Yes'],
  answerNo: ['没有', 'No'],
  answerUnsure: ['不确定', 'Not sure'],
  answerPick: ['请选择适用的项（可多选），然后更新结果：', 'Choose what applies (any number), then update the results:'],
  answerApply: ['添加所选并更新结果', 'Add the chosen and update'],
  answeredNo: ['已回答：没有', 'Answered: no'],
  answeredUnsure: ['已回答：不确定', 'Answered: not sure'],
  answerUndo: ['重新回答', 'Answer again'],
  questionNone: ['以上都没有', 'None of these'],
  staleResults: [
    '结果已过期：这是上一次提交的结果，请修正表单后重新提交。',
    'Out of date: these are the results of the previous submission. Fix the form and submit again.',
  ],
  nearMissesTitle: ['差一点符合', 'Nearly matching'],
  nearMissesIntro: [
    '补充一项信息即可能符合。点击按钮即添加到您的信息并重新匹配。',
    'One more fact may make these apply. A click adds it to your profile and re-runs the match.',
  ],
  missingFact: ['尚未填写：{field}', 'Not given yet: {field}'],
  failedCondition: ['需要：{words}', 'Needs: {words}'],
  basisText: ['原文要求「{words}」', 'The text asks for 「{words}」'],
  basisFact: ['您的企业：{fact}', 'Your company: {fact}'],
  notGiven: ['未填写', 'not given'],
  detailNeeded: ['需要更细的行业', 'A finer sector is needed'],
  addFact: ['+ {label}', '+ {label}'],
  addFactAria: ['添加 {field}：{label} 并重新匹配', 'Add {field}: {label} and re-run'],
  addFactAreaMismatch: ['（属于其他区的功能区）', '(an area of another district)'],
  showMore: ['再显示 {n} 项', 'Show {n} more'],
  questionsTitle: ['回答这些问题，结果更完整', 'Answer these to decide more measures'],
  questionDecides: ['可决定 {n} 项政策', 'decides {n} measures'],
  optionMeasures: ['{n} 项', '{n}'],
  factAdded: ['已添加 {field}：{label}，结果已更新', 'Added {field}: {label}; results updated'],
  factAlready: ['已包含', 'already given'],

  compareTitle: ['三区对比', 'The three districts side by side'],
  compareIntro: [
    '同一家企业在徐汇、静安、青浦分别能符合哪些政策。其他区按“迁入”情景评估。',
    'What the same company would match in Xuhui, Jing’an and Qingpu; districts other than its own are evaluated as a relocation.',
  ],
  compareNeedProfile: ['请先在“政策匹配”中选择注册所在区和行业。', 'First choose a district and sector under “Match”.'],
  compareGoForm: ['去填写', 'Go to the form'],
  compareCurrent: ['注册所在区', 'Current location'],
  compareMatches: ['全部符合', 'All matches'],
  compareInForce: ['有效', 'In force'],
  compareNear: ['差一点', 'Nearly'],
  compareByDepartment: ['按部门', 'By department'],
  compareBySupportType: ['按支持方式（有效 / 全部）', 'By support type (in force / all)'],
  compareTypeCounts: ['有效 {inForce} / 全部 {all}', '{inForce} in force / {all} all'],
  compareTermUnknown: ['期限未载明', 'Term unknown'],
  compareExpired: ['已到期', 'Expired'],
  compareSectorPriorities: ['提到您行业的重点发展方向', 'Priorities naming your sector'],
  compareNone: ['无', 'None'],
  compareDate: ['判断日期', 'As of'],
  compareOnlyHere: ['仅此区提供', 'Only this district offers'],
  compareOnlyHereNone: ['没有仅此区才有的政策', 'Nothing unique to this district'],
  compareRewards: ['因为：{facts}', 'for: {facts}'],
  compareSeeResults: ['查看此区详细结果', 'See the detailed results'],

  catalogTitle: ['政策目录', 'Catalog of measures'],
  catalogIntro: [
    '五份文件中的扶持措施，可搜索、筛选；区里的重点发展方向在“类型”中选择。',
    'The support measures of the five documents, searchable and filterable; the district priorities are under “Kind”.',
  ],
  search: ['搜索', 'Search'],
  searchPlaceholder: ['标题、摘要或原文中的词', 'A word in the title, summary or quote'],
  filterDistrict: ['区', 'District'],
  filterDepartment: ['部门', 'Department'],
  filterSector: ['行业', 'Sector'],
  filterStatus: ['状态', 'Status'],
  filterAll: ['全部', 'All'],
  filterKind: ['类型', 'Kind'],
  kindMeasure: ['扶持措施', 'Support measure'],
  kindPriority: ['重点发展方向', 'District priority'],
  kindPriorityNote: [
    '这是区里的重点发展方向（重点发展、布局或招引的产业、活动或区域），没有可申请的内容。',
    'A district priority (an industry, activity or area the district plans to develop or attract): nothing to apply for.',
  ],
  checkYourself: ['请自行核实：{note}', 'Check this yourself: {note}'],
  clearFilters: ['清除筛选', 'Clear filters'],
  totalMeasures: ['共 {n} 项', '{n} measures'],
  previous: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  pageOf: ['第 {from}–{to} 项，共 {total} 项', '{from}–{to} of {total}'],
  ruleInWords: ['适用条件', 'Who it applies to'],
  sourceParagraph: ['原文段落', 'Source paragraph'],
  document: ['文件', 'Document'],
  section: ['章节', 'Section'],
  issuedOn: ['发布日期', 'Issued'],
  issuer: ['发文单位', 'Issuer'],
  reference: ['文号', 'Reference'],
  term: ['有效期', 'Term'],
  validity: ['有效期', 'Validity'],
  measuresInDocument: ['本文件中的政策（{n} 项）', 'Measures from this document ({n})'],
  fullText: ['全文', 'Full text'],
  quoteNotFound: ['未能在全文中定位引文。', 'The quote could not be located in the text.'],
  jumpToQuote: ['跳到引文', 'Jump to the quote'],
  backToMeasure: ['返回政策', 'Back to the measure'],

  officerTitle: ['招商筛选', 'Investment-promotion screening'],
  officerIntro: [
    '批量上传潜在企业名单，查看每家企业在三区可享受的政策。',
    'Upload a list of prospects and see which measures each could get in each district.',
  ],
  officerRetention: [
    '筛选及其名单、结果只有上传它的工作人员能看到；完成（或失败、取消）后 {days} 天无变动即自动删除，也可随时手动删除。',
    'A screening, its list and results are visible only to the officer who uploaded it; it is deleted automatically {days} days after it finished (or failed, or was cancelled) without change, and you can delete it at any time.',
  ],
  signIn: ['登录', 'Sign in'],
  signInTitle: ['工作人员登录', 'Officer sign-in'],
  apiKey: ['访问密钥', 'API key'],
  apiKeyHint: ['由管理员发放；只保存在安全 Cookie 中', 'Issued by your administrator; kept in a secure cookie only'],
  signOut: ['退出', 'Sign out'],
  signedInAs: ['已登录：{name}', 'Signed in as {name}'],
  badKey: ['密钥无效或已停用', 'The key is not valid or has been revoked'],
  newScreening: ['新建筛选', 'New screening'],
  template: ['下载模板', 'Download the template'],
  templateHint: ['中文表头；一格填多个值时用顿号、分号或逗号分隔', 'Chinese headers; separate several values in a cell with 、 ; or ,'],
  ignoredColumns: ['未识别的列（已忽略）：{cols}', 'Columns not recognised (ignored): {cols}'],
  file: ['企业名单（CSV 或 XLSX）', 'Prospects (CSV or XLSX)'],
  fileHint: ['第一行为表头，每行一家企业', 'A header row, then one prospect per row'],
  screeningName: ['名称', 'Name'],
  screeningNameHint: ['便于以后找到，如“2025 年 6 月 生物医药”', 'To find it later, e.g. “June life-health prospects”'],
  screeningDistricts: ['评估的区', 'Districts'],
  screeningDistrictsHint: ['不选则按各企业的注册所在区', 'None ticked: each prospect’s own district'],
  upload: ['上传并开始筛选', 'Upload and screen'],
  checkFile: ['读取并检查', 'Read and check'],
  checking: ['检查中…', 'Checking…'],
  mappingTitle: ['核对列和取值', 'Check the columns and values'],
  mappingIntro: [
    '下面是文件的前几行，以及每一列对应的字段。未识别的列和无法确定的取值需要您确认；确认后再开始筛选。',
    'These are the first rows of the file and the field each column fills. Confirm the columns and values it could not read, then start.',
  ],
  mappingSummary: ['共 {total} 行：{valid} 行可直接筛选，{failed} 行有问题', '{total} rows: {valid} ready, {failed} with problems'],
  mappingColumns: ['列与字段', 'Columns and fields'],
  mappingColumnField: ['“{header}”列对应的字段', 'Field of column “{header}”'],
  mappingIgnore: ['不使用此列', 'Do not use this column'],
  mappingUnknown: ['未识别', 'Not recognised'],
  mappingMaybe: ['可能是：{fields}', 'Maybe: {fields}'],
  mappingFirstRows: ['前几行', 'First rows'],
  mappingValues: ['需要确认的取值', 'Values to confirm'],
  mappingNoValues: ['所有取值都已识别。', 'Every value was read.'],
  mappingValueLabel: ['“{column}”列的“{value}”应为', '“{value}” in column “{column}” means'],
  mappingChoose: ['请选择…', 'Choose…'],
  mappingDropValue: ['忽略此值', 'Drop this value'],
  mappingSuggested: ['建议', 'Suggested'],
  mappingAllCodes: ['全部可选值', 'All values'],
  mappingRows: ['第 {rows} 行', 'Rows {rows}'],
  mappingOtherErrors: ['其他问题（这些行不会参与筛选）', 'Other problems (these rows will not be screened)'],
  mappingSave: ['保存这些映射和修正，下次上传时自动使用', 'Save these mappings and fixes for next time'],
  mappingRecheck: ['按当前映射重新检查', 'Check again with this mapping'],
  mappingStart: ['开始筛选', 'Start screening'],
  mappingBack: ['换一个文件', 'Choose another file'],
  mappingSavedUsed: ['已套用上次保存的映射和修正。', 'Mappings and fixes saved earlier were applied.'],
  mappingColumnProblems: ['列的问题（需先解决）', 'Column problems (resolve these first)'],
  measureSearchNone: ['没有匹配的政策', 'No measure matches'],
  measureClear: ['清除政策筛选', 'Clear the measure filter'],
  uploading: ['上传中…', 'Uploading…'],
  savedScreenings: ['已保存的筛选', 'Saved screenings'],
  noScreenings: ['还没有筛选记录。', 'No screenings yet.'],
  screeningUnavailable: ['筛选服务暂不可用。', 'The screening service is not available.'],
  state_queued: ['排队中', 'Queued'],
  state_running: ['进行中', 'Running'],
  state_paused: ['已暂停', 'Paused'],
  state_completed: ['已完成', 'Completed'],
  state_failed: ['失败', 'Failed'],
  state_cancelled: ['已取消', 'Cancelled'],
  progress: ['已处理 {done} / {total} 行', '{done} of {total} rows done'],
  progressUnknown: ['已处理 {done} 行', '{done} rows done'],
  cancel: ['取消', 'Cancel'],
  cancelConfirm: ['确定取消这次筛选吗？', 'Cancel this screening?'],
  deleteScreening: ['删除', 'Delete'],
  removeConfirm: ['确定删除这次筛选及其名单和结果吗？删除后无法恢复。', 'Delete this screening with its list and results? This cannot be undone.'],
  rerun: ['按最新政策重新筛选', 'Re-run against the current rules'],
  open: ['打开', 'Open'],
  created: ['创建时间', 'Created'],
  rows: ['行数', 'Rows'],
  rowsFailed: ['失败行', 'Failed rows'],
  rowErrorsTitle: ['未通过校验的行（{n}）', 'Rows that failed validation ({n})'],
  rowErrorsIntro: ['这些行未参与筛选。修改后可重新上传。', 'These rows were not screened. Fix them and upload again.'],
  rowNumber: ['第 {n} 行', 'Row {n}'],
  resultsTable: ['筛选结果', 'Results'],
  colRow: ['行', 'Row'],
  colName: ['企业名称', 'Company'],
  colUscc: ['统一社会信用代码', 'Credit code'],
  colDistrict: ['区', 'District'],
  colMatches: ['符合政策数', 'Matches'],
  colInForce: ['有效', 'In force'],
  colTermUnknown: ['期限未载明', 'Term unknown'],
  colExpired: ['已到期', 'Expired'],
  filterApplicable: ['仅看有有效或期限未载明措施的企业', 'Only prospects with a measure in force or of unstated term'],
  colMeasures: ['政策', 'Measures'],
  sortBy: ['按 {col} 排序', 'Sort by {col}'],
  filterMeasure: ['政策', 'Measure'],
  filterMeasurePlaceholder: ['输入政策名称或编号', 'Measure title or id'],
  exportXlsx: ['导出 XLSX', 'Export XLSX'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  exportMeasuresCsv: ['措施清单 CSV', 'Measure list CSV'],
  exportMeasuresHint: [
    'CSV 每行只列措施编号和名称；各措施的状态、截止日期和政策文件见措施清单',
    'CSV rows list measure IDs and names only; each measure’s status, end date and document are in the measure list',
  ],
  changesTitle: ['与上次相比的变化', 'What changed since the last run'],
  changesNone: ['两次结果没有差别。', 'No prospect’s result changed.'],
  gained: ['新增', 'Gained'],
  lost: ['不再符合', 'Lost'],
  runOf: ['第 {n} 次运行', 'Run {n}'],
  prospectTitle: ['企业详细结果', 'Prospect result'],
  openInMatcher: ['在政策匹配中打开（可补充信息后重新匹配）', 'Open in the matcher (add facts and re-run)'],
  backToScreening: ['返回筛选结果', 'Back to the screening'],
  backToList: ['返回列表', 'Back to the list'],
  noResultsYet: ['还没有结果。', 'No results yet.'],
  moreMeasures: ['等 {n} 项', '+{n} more'],
} as const satisfies Record<string, readonly [string, string]>;

export type StringKey = keyof typeof STRINGS;

export type T = (key: StringKey, vars?: Record<string, string | number>) => string;

function translate(lang: Lang, key: StringKey, vars?: Record<string, string | number>): string {
  let s: string = STRINGS[key][lang === 'zh' ? 0 : 1];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** The strings in one language, outside React (exports). */
export function translator(lang: Lang): T {
  return (key, vars) => translate(lang, key, vars);
}

const LANG_KEY = 'matcher.lang';

/** ?lang=en (or zh) wins and is remembered; then the remembered choice; then Chinese. */
export function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh') {
    try {
      localStorage.setItem(LANG_KEY, fromUrl);
    } catch {
      /* storage may be off */
    }
    return fromUrl;
  }
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    /* storage may be off */
  }
  return 'zh';
}

interface LangContextValue {
  lang: Lang;
  setLang(lang: Lang): void;
  t: T;
}

const LangContext = createContext<LangContextValue | null>(null);

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = translate(lang, 'appName');
  }, [lang]);
  const value = useMemo<LangContextValue>(
    () => ({
      lang,
      setLang(next) {
        setLangState(next);
        try {
          localStorage.setItem(LANG_KEY, next);
        } catch {
          /* storage may be off */
        }
        // Keep the address shareable in the language being read.
        const url = new URL(location.href);
        if (url.searchParams.has('lang') || next === 'en') {
          url.searchParams.set('lang', next);
          history.replaceState(history.state, '', url);
        }
      },
      t: (key, vars) => translate(lang, key, vars),
    }),
    [lang],
  );
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangContextValue {
  const ctx = useContext(LangContext);
  if (!ctx) throw new Error('LangProvider missing');
  return ctx;
}

/** A date in the reader's language: 2025-12-31 → 2025年12月31日 / 31 Dec 2025. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  if (lang === 'zh') return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
}

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
}

/** Today in Asia/Shanghai, YYYY-MM-DD: the API's default date. */
export function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
