import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { ambiguousNames, headerAliases, HEADER_FIELD_KEYS, labelOf, PROFILE_FIELDS, synonymsOf, usccCheckCharacter } from '@matcher/catalog';

/** The upload template's columns: the Chinese headers the import recognises, with one example prospect. */
const COLUMNS: { header: string; example: string | number; field: string }[] = [
  { header: '企业名称', example: '上海某检测认证有限公司', field: 'name' },
  { header: '统一社会信用代码', example: `91310106MA1FL0000${usccCheckCharacter('91310106MA1FL0000')}`, field: 'uscc' },
  { header: '所在区', example: labelOf('location.district', 'jingan', 'zh'), field: 'location.district' },
  { header: '功能区', example: labelOf('location.area', 'jingan/shibei', 'zh').split('/').pop()!, field: 'location.area' },
  { header: '行业', example: labelOf('sectors', 'professional-services/testing-certification', 'zh').split('/').pop()!, field: 'sectors' },
  { header: '总部类型', example: '', field: 'headquarters' },
  { header: '总部认定', example: '', field: 'headquartersRecognition' },
  {
    header: '资质',
    example: [labelOf('qualifications', 'high-tech-enterprise', 'zh'), labelOf('qualifications', 'tech-sme', 'zh')].join('、'),
    field: 'qualifications',
  },
  { header: '主体类型', example: labelOf('roles', 'professional-service-institution', 'zh'), field: 'roles' },
  { header: '所有制', example: labelOf('ownership', 'private', 'zh'), field: 'ownership' },
  { header: '企业规模', example: labelOf('size', 'medium', 'zh'), field: 'size' },
  { header: '上市情况', example: labelOf('listing', 'unlisted', 'zh'), field: 'listing' },
  { header: '发展计划', example: [labelOf('plans', 'international-standards', 'zh'), labelOf('plans', 'brand-building', 'zh')].join('、'), field: 'plans' },
  { header: '人才', example: labelOf('talent', 'returnee', 'zh'), field: 'talent' },
  { header: '员工人数', example: 120, field: 'metrics.employees' },
  { header: '年营业收入（万元）', example: 5000, field: 'metrics.annualRevenueWan' },
  { header: '年纳税额（万元）', example: 300, field: 'metrics.annualTaxWan' },
  { header: '研发费用占比', example: '8%', field: 'metrics.rdExpenseRatio' },
  { header: '成立年份', example: 2015, field: 'metrics.foundedYear' },
  { header: '发明专利数', example: 12, field: 'metrics.inventionPatents' },
  { header: 'PCT申请数', example: 2, field: 'metrics.pctApplications' },
];

export const TEMPLATE_HEADERS = COLUMNS.map((c) => c.header);

export function templateCsv(res: Response): void {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .setHeader('Content-Disposition', `attachment; filename="screening-template.csv"; filename*=UTF-8''${encodeURIComponent('筛查模板.csv')}`);
  const csv = stringify({ bom: true });
  csv.pipe(res);
  csv.write(COLUMNS.map((c) => c.header));
  csv.write(COLUMNS.map((c) => c.example));
  csv.end();
}

/** Single-valued coded columns: the template offers their labels as a drop-down list. */
export const DROP_DOWN_FIELDS = ['location.district', 'location.area', 'ownership', 'size', 'listing', 'headquartersRecognition'] as const;

/** Rows of the fill-in sheet that carry the drop-downs (the header is row 1). */
export const TEMPLATE_ROWS = 1000;

const LISTS_SHEET = '选项 Lists';

function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * The template as a workbook: the sheet to fill (drop-down lists on the single-valued coded columns, so a
 * typo such as 静按区 is caught while typing), the code sheet (every code with its zh/en labels, everyday
 * names and names that mean several codes), the accepted column names, and the lists the drop-downs read.
 */
export async function templateXlsx(res: Response): Promise<void> {
  res
    .status(200)
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .setHeader('Content-Disposition', `attachment; filename="screening-template.xlsx"; filename*=UTF-8''${encodeURIComponent('筛查模板.xlsx')}`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('筛查名单');
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.field, width: Math.max(10, c.header.length * 2 + 4) }));
  DROP_DOWN_FIELDS.forEach((field, listIndex) => {
    const column = COLUMNS.findIndex((c) => c.field === field);
    const count = PROFILE_FIELDS.find((f) => f.key === field)?.codes?.length ?? 0;
    const list = columnLetter(listIndex);
    const letter = columnLetter(column);
    // The streaming writer keeps data validations like the in-memory worksheet; its typings omit them.
    (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
      `${letter}2:${letter}${TEMPLATE_ROWS + 1}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`'${LISTS_SHEET}'!$${list}$2:$${list}$${count + 1}`],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: '不在列表中',
        error: '请从下拉列表中选择；常用叫法见“代码表 Codes”工作表。',
      },
    );
  });
  sheet.addRow(COLUMNS.map((c) => c.example)).commit();
  sheet.commit();

  const codes = workbook.addWorksheet('代码表 Codes');
  codes.columns = [
    { header: '字段', width: 14 },
    { header: 'Field', width: 22 },
    { header: '代码 Code', width: 36 },
    { header: '中文', width: 30 },
    { header: 'English', width: 40 },
    { header: '常用叫法 Everyday names', width: 50 },
  ];
  for (const f of PROFILE_FIELDS)
    for (const c of f.codes ?? [])
      codes.addRow([f.zh, f.en, c.code, labelOf(f.key, c.code, 'zh'), labelOf(f.key, c.code, 'en'), synonymsOf(f.key, c.code).join('、')]).commit();
  for (const f of PROFILE_FIELDS)
    for (const [name, meant] of Object.entries(ambiguousNames(f.key)))
      codes.addRow([f.zh, f.en, '', name, '', `多义，须选定其一 ambiguous: ${meant.map((code) => labelOf(f.key, code, 'zh')).join(' / ')}`]).commit();
  codes.commit();

  const headers = workbook.addWorksheet('列名 Headers');
  headers.columns = [
    { header: '字段 Field', width: 24 },
    { header: '可用的列名 Accepted column names', width: 80 },
  ];
  for (const key of HEADER_FIELD_KEYS) headers.addRow([key, headerAliases(key).join('、')]).commit();
  headers.commit();

  const lists = workbook.addWorksheet(LISTS_SHEET);
  lists.addRow(DROP_DOWN_FIELDS.map((f) => PROFILE_FIELDS.find((x) => x.key === f)!.zh)).commit();
  const longest = Math.max(...DROP_DOWN_FIELDS.map((f) => PROFILE_FIELDS.find((x) => x.key === f)?.codes?.length ?? 0));
  for (let i = 0; i < longest; i++)
    lists
      .addRow(
        DROP_DOWN_FIELDS.map((f) => {
          const c = PROFILE_FIELDS.find((x) => x.key === f)?.codes?.[i];
          return c ? c.zh : null;
        }),
      )
      .commit();
  lists.commit();
  await workbook.commit();
}
