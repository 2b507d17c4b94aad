import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { labelOf, PROFILE_FIELDS, usccCheckCharacter } from '@matcher/catalog';

/** The upload template's columns: the Chinese headers the import recognises, with one example prospect. */
const COLUMNS: { header: string; example: string | number }[] = [
  { header: '企业名称', example: '上海某检测认证有限公司' },
  { header: '统一社会信用代码', example: `91310106MA1FL0000${usccCheckCharacter('91310106MA1FL0000')}` },
  { header: '所在区', example: labelOf('location.district', 'jingan', 'zh') },
  { header: '功能区', example: labelOf('location.area', 'jingan/shibei', 'zh').split('/').pop()! },
  { header: '行业', example: labelOf('sectors', 'professional-services/testing-certification', 'zh').split('/').pop()! },
  { header: '总部类型', example: '' },
  { header: '总部认定', example: '' },
  { header: '资质', example: [labelOf('qualifications', 'high-tech-enterprise', 'zh'), labelOf('qualifications', 'tech-sme', 'zh')].join('、') },
  { header: '主体类型', example: labelOf('roles', 'professional-service-institution', 'zh') },
  { header: '所有制', example: labelOf('ownership', 'private', 'zh') },
  { header: '企业规模', example: labelOf('size', 'medium', 'zh') },
  { header: '上市情况', example: labelOf('listing', 'unlisted', 'zh') },
  { header: '发展计划', example: [labelOf('plans', 'international-standards', 'zh'), labelOf('plans', 'brand-building', 'zh')].join('、') },
  { header: '人才', example: labelOf('talent', 'returnee', 'zh') },
  { header: '员工人数', example: 120 },
  { header: '年营业收入（万元）', example: 5000 },
  { header: '年纳税额（万元）', example: 300 },
  { header: '研发费用占比', example: '8%' },
  { header: '成立年份', example: 2015 },
  { header: '发明专利数', example: 12 },
  { header: 'PCT申请数', example: 2 },
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

/** The template as a workbook: the sheet to fill, and a second sheet listing every code with its labels. */
export async function templateXlsx(res: Response): Promise<void> {
  res
    .status(200)
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .setHeader('Content-Disposition', `attachment; filename="screening-template.xlsx"; filename*=UTF-8''${encodeURIComponent('筛查模板.xlsx')}`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('筛查名单');
  sheet.addRow(COLUMNS.map((c) => c.header)).commit();
  sheet.addRow(COLUMNS.map((c) => c.example)).commit();
  sheet.commit();
  const codes = workbook.addWorksheet('代码表 Codes');
  codes.addRow(['字段', 'Field', '代码 Code', '中文', 'English']).commit();
  for (const f of PROFILE_FIELDS)
    for (const c of f.codes ?? []) codes.addRow([f.zh, f.en, c.code, labelOf(f.key, c.code, 'zh'), labelOf(f.key, c.code, 'en')]).commit();
  codes.commit();
  await workbook.commit();
}
