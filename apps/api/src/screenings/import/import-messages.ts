import { codeLabel, labelOf, PROFILE_FIELDS, type CodeRef, type Lang } from '@matcher/catalog';
import type { CodeChoice } from '@matcher/contracts';
import type { ImportField } from './profile-fields';

/**
 * The import's messages in the officer's language (the UI's, or Accept-Language; Chinese by default). They
 * name the row, the column and the value, and offer the closest valid labels; they never send the officer
 * to an API route.
 */

/** "zh-CN,zh;q=0.9,en;q=0.8" → zh; an explicit lang wins; Chinese unless English is preferred. */
export function importLang(explicit: string | undefined, acceptLanguage: string | undefined): Lang {
  if (explicit === 'zh' || explicit === 'en') return explicit;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}

export function choice(ref: CodeRef, columnField: string): CodeChoice {
  const key = codeLabel(columnField, ref.code) ? columnField : ref.field;
  return { field: ref.field, code: ref.code, zh: labelOf(key, ref.code, 'zh'), en: labelOf(key, ref.code, 'en') };
}

export function fieldName(field: Pick<ImportField, 'zh' | 'en'>, lang: Lang): string {
  return lang === 'zh' ? field.zh : field.en;
}

const q = (value: string): string => `"${value.length > 60 ? `${value.slice(0, 57)}…` : value}"`;

function where(lang: Lang, row: number | undefined, column: string | undefined): string {
  if (lang === 'zh') return `${row !== undefined ? `第 ${row} 行` : ''}${column ? `“${column}”列` : ''}${row !== undefined || column ? '：' : ''}`;
  const parts = [row !== undefined ? `Row ${row}` : '', column ? `column "${column}"` : ''].filter(Boolean);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

function list(lang: Lang, choices: CodeChoice[], joiner: 'or' | 'and'): string {
  const names = choices.map((c) => (lang === 'zh' ? c.zh : c.en));
  if (lang === 'zh') return names.join(joiner === 'or' ? ' 或 ' : '、');
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} ${joiner} ${names[names.length - 1]}` : (names[0] ?? '');
}

const exampleTexts = new Map<string, string>();

/** A few allowed labels of a field, when nothing is close. Kept once made: a row may name thousands of unknown codes. */
function examples(fieldKey: string, lang: Lang): string {
  const key = `${lang}:${fieldKey}`;
  let text = exampleTexts.get(key);
  if (text === undefined) {
    const codes = PROFILE_FIELDS.find((f) => f.key === fieldKey)?.codes ?? [];
    const shown = codes.slice(0, 4).map((c) => labelOf(fieldKey, c.code, lang));
    text = `${shown.join(lang === 'zh' ? '、' : ', ')}${codes.length > 4 ? (lang === 'zh' ? '等' : ', …') : ''}`;
    exampleTexts.set(key, text);
  }
  return text;
}

export interface Place {
  lang: Lang;
  row?: number;
  column?: string;
}

export const importMessages = {
  unknownValue(p: Place, field: ImportField, value: string, suggestions: CodeChoice[]): string {
    const at = where(p.lang, p.row, p.column);
    if (p.lang === 'zh') {
      const hint = suggestions.length
        ? `最接近的有效值：${list('zh', suggestions, 'and')}`
        : `有效值如：${examples(field.key, 'zh')}（模板的“代码表”工作表列出全部）`;
      return `${at}${q(value)}不是可识别的${field.zh}。${hint}`;
    }
    const hint = suggestions.length
      ? `Closest valid values: ${list('en', suggestions, 'or')}`
      : `Valid values include ${examples(field.key, 'en')} (the template's code sheet lists them all)`;
    return `${at}${q(value)} is not a known ${field.en}. ${hint}`;
  },
  ambiguousValue(p: Place, _field: ImportField, value: string, candidates: CodeChoice[]): string {
    const at = where(p.lang, p.row, p.column);
    if (p.lang === 'zh') return `${at}${q(value)}可能指 ${list('zh', candidates, 'or')}，未作猜测；请选定其一。`;
    return `${at}${q(value)} could mean ${list('en', candidates, 'or')}; it was not guessed: choose one.`;
  },
  oneValue(p: Place, field: ImportField, value: string): string {
    return p.lang === 'zh'
      ? `${where('zh', p.row, p.column)}${field.zh}只能填一个值，而此处是${q(value)}`
      : `${where('en', p.row, p.column)}${field.en} takes one value, got ${q(value)}`;
  },
  notNumber(p: Place, field: ImportField, value: string): string {
    const ratio = field.key === 'metrics.rdExpenseRatio';
    if (p.lang === 'zh') return `${where('zh', p.row, p.column)}${field.zh}应为数字，而此处是${q(value)}${ratio ? '（比例：0.08 或 8%）' : ''}`;
    return `${where('en', p.row, p.column)}${field.en} must be a number, got ${q(value)}${ratio ? ' (a ratio: 0.08 or 8%)' : ''}`;
  },
  notText(p: Place, field: ImportField, value: string): string {
    return p.lang === 'zh'
      ? `${where('zh', p.row, p.column)}${field.zh}应为文字，而此处是${q(value)}`
      : `${where('en', p.row, p.column)}${field.en} must be text, got ${q(value)}`;
  },
  /** A soft number read as the number it clearly says. */
  softNumber(p: Place, value: string, n: number): string {
    return p.lang === 'zh'
      ? `${where('zh', p.row, p.column)}${q(value)}按 ${n} 读取（约数）`
      : `${where('en', p.row, p.column)}${q(value)} read as ${n} (approximate)`;
  },
  /** A value left unknown: the prospect is screened without it. */
  leftUnknown(p: Place, reason: string): string {
    return p.lang === 'zh'
      ? `${where('zh', p.row, p.column)}${reason}；此项按未知处理，企业仍参与筛选`
      : `${where('en', p.row, p.column)}${reason}; left unknown, the prospect is still screened`;
  },
  /** A yes/no cell that says neither. */
  notYesNo(p: Place, value: string): string {
    return p.lang === 'zh' ? `应为 是/否，而此处是${q(value)}` : `must be yes or no, got ${q(value)}`;
  },
  /** A yes to a listing with no board named. */
  listedBoardUnknown(p: Place): string {
    return p.lang === 'zh'
      ? `${where('zh', p.row, p.column)}已上市，但未写明上市板块；上市情况按未知处理`
      : `${where('en', p.row, p.column)}listed, but the board is not named; listing left unknown`;
  },
  /** A credit code kept as given though its check character is wrong. */
  usccCheck(p: Place): string {
    return p.lang === 'zh'
      ? `${where('zh', p.row, p.column)}统一社会信用代码的校验位（第 18 位）不正确，已按原样保留，请核对`
      : `${where('en', p.row, p.column)}the check character (18th) of this credit code is wrong; kept as given, please check it`;
  },
  districtMissing(p: Place): string {
    return p.lang === 'zh'
      ? `${where('zh', p.row, p.column)}所在区为空：每家企业都需要注册所在区（如 静安区）`
      : `${where('en', p.row, p.column)}the district is empty: every prospect needs its district of registration (e.g. Jing'an)`;
  },
  /** A validation message of the profile schema, in the officer's words where we know them. */
  invalid(p: Place, path: string, english: string, district?: string): string {
    const at = where(p.lang, p.row, p.column);
    if (p.lang === 'en') return `${at}${english}${path === 'metrics.rdExpenseRatio' && /<=|maximum/.test(english) ? ' (a ratio: 0.08 or 8%)' : ''}`;
    if (path === 'location.area' && district) return `${at}功能区不在${labelOf('location.district', district, 'zh')}内`;
    if (path === 'uscc' && /check character/.test(english)) return `${at}统一社会信用代码的校验位（第 18 位）不正确`;
    if (path === 'uscc') return `${at}统一社会信用代码应为 18 位（GB 32100-2015）`;
    if (path === 'metrics.rdExpenseRatio') return `${at}研发费用占比应在 0 到 1 之间（如 0.08 或 8%）`;
    const bound = /^must be ([<>]=?) (-?[\d.]+)$/.exec(english);
    if (bound) return `${at}应 ${bound[1].replace('>=', '≥').replace('<=', '≤')} ${bound[2]}`;
    if (/must be integer/.test(english)) return `${at}应为整数`;
    if (/must NOT have more than/.test(english)) return `${at}值太多`;
    return `${at}${english}`;
  },
  unknownColumn(lang: Lang, header: string, suggestions: string[]): string {
    const names = suggestions.map((k) => fieldLabel(k, lang));
    if (lang === 'zh') return `“${header}”列未识别为任何字段，未被使用${names.length ? `；可能是：${names.join('、')}` : ''}。可在列映射中为它指定字段。`;
    return `Column "${header}" names no field and was not used${names.length ? `; it may be: ${names.join(', ')}` : ''}. Choose its field in the column mapping.`;
  },
  beyondLastColumn(lang: Lang, row: number): string {
    return lang === 'zh'
      ? `第 ${row} 行（可能还有其他行）在最后一个有标题的列之后还有值，已忽略`
      : `Row ${row} (and maybe others) has values beyond the last named column; they were ignored`;
  },
  noDistrictColumn(lang: Lang, headers: string[]): string {
    const cols = headers.filter(Boolean).join(lang === 'zh' ? '、' : ', ') || (lang === 'zh' ? '（无）' : '(none)');
    return lang === 'zh'
      ? `没有一列给出所在区（注册地）。文件的列：${cols}。请在列映射中指定哪一列是所在区。`
      : `No column gives the district (所在区 / district). The columns are: ${cols}. Choose the district column in the column mapping.`;
  },
  twoColumns(lang: Lang, first: string, second: string, field: ImportField): string {
    return lang === 'zh'
      ? `“${first}”和“${second}”两列都给出${field.zh}；请在列映射中忽略其中一列`
      : `Columns "${first}" and "${second}" both give ${field.en}; ignore one of them in the column mapping`;
  },
  mappingMissingColumn(lang: Lang, header: string, headers: string[]): string {
    const cols = headers.filter(Boolean).join(lang === 'zh' ? '、' : ', ');
    return lang === 'zh' ? `映射中的“${header}”不是文件的列（文件的列：${cols}）` : `"${header}" in the mapping is not a column of the file (columns: ${cols})`;
  },
};

/** The label of an import field key (name and uscc included). */
export function fieldLabel(key: string, lang: Lang): string {
  if (key === 'name') return lang === 'zh' ? '企业名称' : 'Name';
  if (key === 'uscc') return lang === 'zh' ? '统一社会信用代码' : 'USCC';
  const f = PROFILE_FIELDS.find((x) => x.key === key);
  return f ? (lang === 'zh' ? f.zh : f.en) : key;
}

/**
 * A workbook bound's message in the officer's language. The readers word their bounds in English (they also run
 * in worker threads, where only text crosses); Chinese is made here from the same facts.
 */
export function workbookBoundMessage(lang: Lang, english: string): string {
  if (lang === 'en') return english;
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^The workbook decompresses to more than (\d+) bytes/, (m) => `工作簿解压后超过 ${m[1]} 字节；请保存为更小的表格或 CSV。`],
    [/^The workbook holds more than (\d+) shared strings/, (m) => `工作簿的共享字符串超过 ${m[1]} 个；请拆分文件或另存为 CSV。`],
    [/^The workbook holds more than (\d+) cells/, (m) => `工作簿的单元格超过 ${m[1]} 个；请拆分文件。`],
    [
      /^Cell (\S+) lies in column (\d+) \((\w+)\), beyond the (\d+) columns an import reads; delete the columns past (\w+)/,
      (m) => `单元格 ${m[1]} 位于第 ${m[2]} 列（${m[3]} 列），超出导入读取的 ${m[4]} 列；请删除 ${m[5]} 列之后的列再上传。`,
    ],
    [/^The workbook takes too long to read/, () => '工作簿读取时间过长；请另存为 CSV 或拆分文件。'],
    [/^Measuring the workbook took longer than (\d+) s/, (m) => `检查工作簿超过 ${m[1]} 秒的时限；请拆分文件或另存为 CSV。`],
    [/^Measuring the workbook needed more than (\d+) MB/, (m) => `检查工作簿需要超过 ${m[1]} MB 内存；请拆分文件或另存为 CSV。`],
    [/^Reading the file took longer than (\d+) s/, (m) => `读取文件超过 ${m[1]} 秒的时限；请拆分文件。`],
    [/^Reading the file needed more than (\d+) MB/, (m) => `读取文件需要超过 ${m[1]} MB 内存；请拆分文件。`],
  ];
  for (const [pattern, say] of rules) {
    const m = pattern.exec(english);
    if (m) return say(m);
  }
  return english;
}
