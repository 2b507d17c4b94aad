import { EXTENSION_CODES, PROFILE_FIELDS } from '@matcher/catalog';
import { TEMPLATE_HEADERS } from '../screening-template';
import { planColumns } from './column-mapping';
import { buildProfile, type Cell } from './profile-builder';
import { fieldForHeader, importField, resolveCode, splitCell } from './profile-fields';

/** The spreadsheet vocabulary: headers and cell values in Chinese or English, codes or labels. */

const cells = (values: Record<string, unknown>): Cell[] => Object.entries(values).map(([key, value]) => ({ field: importField(key), header: key, value }));

describe('cell values', () => {
  test.each(PROFILE_FIELDS.filter((f) => f.codes?.length).map((f) => [f.key, f] as const))(
    'every code of %s resolves from its code, its Chinese and its English label',
    (_key, field) => {
      for (const c of field.codes!) {
        for (const text of [c.code, c.zh, c.en, ` ${c.zh} `, c.en.toUpperCase()])
          expect([text, resolveCode(field.key, text)]).toEqual([text, { field: field.key, code: c.code }]);
      }
    },
  );

  test('extension codes are accepted in the column they extend and land in their own field', () => {
    for (const c of EXTENSION_CODES) {
      expect(resolveCode(c.extends, c.zh)).toEqual({ field: c.field, code: c.code });
      expect(resolveCode(c.extends, c.code)).toEqual({ field: c.field, code: c.code });
    }
  });

  test('districts by code, label, short name, with 上海市, in English; other Shanghai districts and outside Shanghai', () => {
    for (const text of ['jingan', '静安区', '静安', '上海市静安区', "Jing'an", 'JINGAN', ' jing an '])
      expect(resolveCode('location.district', text)?.code).toBe('jingan');
    for (const text of ['浦东新区', '浦东', '黄浦区', 'Minhang', '上海市闵行区']) expect(resolveCode('location.district', text)?.code).toBe('other-shanghai');
    for (const text of ['上海市外', '外省市', 'outside-shanghai']) expect(resolveCode('location.district', text)?.code).toBe('outside-shanghai');
    expect(resolveCode('location.district', '火星区')).toBeUndefined();
  });

  test('sector paths, last segments and the 企业 suffix', () => {
    expect(resolveCode('sectors', '数字经济/信息服务/软件开发')?.code).toBe('digital/software');
    expect(resolveCode('sectors', 'software')?.code).toBe('digital/software');
    expect(resolveCode('ownership', '民营企业')?.code).toBe('private');
    expect(resolveCode('size', '中型企业')?.code).toBe('medium');
  });

  test('multi-valued cells split on 、 ; , ，； and line breaks, keeping labels that contain a separator whole', () => {
    expect(splitCell('sectors', '软件开发、人工智能;ai/robotics，大数据；区块链\n云计算,')).toEqual([
      '软件开发',
      '人工智能',
      'ai/robotics',
      '大数据',
      '区块链',
      '云计算',
    ]);
    expect(splitCell('plans', 'Cut costs, raise efficiency, Build a brand')).toEqual(['Cut costs, raise efficiency', 'Build a brand']);
    expect(splitCell('sectors', 'Testing,inspection and certification；ai').map((p) => resolveCode('sectors', p)?.code)).toEqual([
      'professional-services/testing-certification',
      'ai',
    ]);
  });
});

describe('headers', () => {
  test('every field by its key, its Chinese and English label; the template headers; units and spacing ignored', () => {
    for (const f of PROFILE_FIELDS) for (const text of [f.key, f.zh, f.en]) expect([text, fieldForHeader(text)?.key]).toEqual([text, f.key]);
    expect(TEMPLATE_HEADERS.map((h) => fieldForHeader(h)?.key)).toEqual([
      'name',
      'uscc',
      'location.district',
      'location.area',
      'sectors',
      'headquarters',
      'headquartersRecognition',
      'qualifications',
      'roles',
      'ownership',
      'size',
      'listing',
      'plans',
      'talent',
      'metrics.employees',
      'metrics.annualRevenueWan',
      'metrics.annualTaxWan',
      'metrics.rdExpenseRatio',
      'metrics.foundedYear',
      'metrics.inventionPatents',
      'metrics.pctApplications',
    ]);
    for (const [text, key] of [
      [' 企业名称 ', 'name'],
      ['DISTRICT', 'location.district'],
      ['Annual revenue (10k CNY)', 'metrics.annualRevenueWan'],
      ['年营业收入(万元)', 'metrics.annualRevenueWan'],
      ['PCT 申请数', 'metrics.pctApplications'],
      ['企业名称 / Name', 'name'],
      ['所在区 / District', 'location.district'],
    ])
      expect([text, fieldForHeader(text)?.key]).toEqual([text, key]);
    expect(fieldForHeader('备注')).toBeUndefined();
  });

  test('a column plan: unknown columns reported once, list fields may repeat, single-valued ones may not, a district is required', () => {
    const { plan } = planColumns(['企业名称', '备注', '所在区', '行业', '行业', '备注', '']);
    expect(plan!.columns).toEqual({
      mapped: [
        { header: '企业名称', field: 'name' },
        { header: '所在区', field: 'location.district' },
        { header: '行业', field: 'sectors' },
        { header: '行业', field: 'sectors' },
      ],
      ignored: [{ header: '备注', reason: 'unknown', suggestions: [] }],
    });
    expect(planColumns(['所在区', 'district'], {}, 'en').errors).toEqual([{ path: 'file', message: expect.stringContaining('both give') }]);
    expect(planColumns(['企业名称'], {}, 'en').errors).toEqual([{ path: 'file', message: expect.stringContaining('No column gives the district') }]);
    expect(planColumns(['企业名称']).errors).toEqual([{ path: 'file', message: expect.stringContaining('没有一列给出所在区') }]);
    expect(planColumns(['企业名称'])[`errors`][0].message).not.toMatch(/\/api\//);
    expect(planColumns(['公司', '注册地'], { 注册地: 'district', 公司: 'name' }).plan!.fields.map((f) => f?.key)).toEqual(['name', 'location.district']);
  });
});

describe('buildProfile', () => {
  test('everyday values read as their codes', () => {
    const built = buildProfile(
      cells({ 'location.district': '静安', sectors: '生物医药、软件', qualifications: '高企、专精特新', ownership: '民企', 'metrics.rdExpenseRatio': 0.08 }),
    );
    expect(built.errors).toEqual([]);
    expect(built.profile).toEqual({
      location: { district: 'jingan' },
      sectors: ['life-health', 'digital/software'],
      qualifications: ['high-tech-enterprise', 'srdi-sme'],
      ownership: 'private',
      metrics: { rdExpenseRatio: 0.08 },
    });
    expect(buildProfile(cells({ 'location.district': '静安', 'metrics.rdExpenseRatio': '8%' })).profile?.metrics).toEqual({ rdExpenseRatio: 0.08 });
  });

  test('an ambiguous value flags the row with every candidate; a misspelt one offers the closest; fixes resolve both', () => {
    const row = cells({ 'location.district': '静按区', ownership: '国企', qualifications: '小巨人' });
    const { errors, warnings = [], profile } = buildProfile(row, { row: 3 });
    // Only the district refuses the row; the other values are left unknown, with the same candidates.
    expect(profile).toBeUndefined();
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'location.district',
        reason: 'unknown-value',
        value: '静按区',
        candidates: [expect.objectContaining({ code: 'jingan', zh: '静安区' })],
      }),
    ]);
    expect(warnings).toEqual([
      expect.objectContaining({
        path: 'ownership',
        reason: 'ambiguous-value',
        value: '国企',
        candidates: [expect.objectContaining({ code: 'central-state' }), expect.objectContaining({ code: 'local-state' })],
      }),
      expect.objectContaining({
        path: 'qualifications',
        reason: 'ambiguous-value',
        candidates: expect.arrayContaining([expect.objectContaining({ code: 'tech-little-giant' })]),
      }),
    ]);
    expect(warnings[0].message).toBe('第 3 行“ownership”列："国企"可能指 中央国有 或 地方国有，未作猜测；请选定其一。');
    const fixes = (m: Record<string, string | null>) => new Map(Object.entries(m));
    const fixed = buildProfile(
      row.map((c) =>
        c.header === 'location.district'
          ? { ...c, fixes: fixes({ 静按区: 'jingan' }) }
          : c.header === 'ownership'
            ? { ...c, fixes: fixes({ 国企: 'local-state' }) }
            : { ...c, fixes: fixes({ 小巨人: null }) },
      ),
    );
    expect(fixed).toMatchObject({ errors: [], profile: { location: { district: 'jingan' }, ownership: 'local-state' } });
    expect(fixed.profile?.qualifications).toBeUndefined();
  });

  test('numbers leniently: grouped, percentages for the ratio, years from dates; uscc upper-cased; lists de-duplicated', () => {
    const built = buildProfile(
      cells({
        uscc: ' 91310106ma1fl0000x ',
        'location.district': '静安区',
        sectors: '软件开发、digital/software、物联网',
        'metrics.employees': '1,234',
        'metrics.rdExpenseRatio': '5%',
        'metrics.foundedYear': '2015年3月',
        'metrics.annualRevenueWan': 12.5,
      }),
    );
    expect(built.errors).toEqual([]);
    expect(
      buildProfile(
        cells({
          'location.district': 'jingan',
          sectors: '软件开发、digital/software、物联网',
          'metrics.employees': '1,234',
          'metrics.rdExpenseRatio': '5%',
          'metrics.foundedYear': '2015年3月',
        }),
      ).profile,
    ).toEqual({
      location: { district: 'jingan' },
      sectors: ['digital/software'],
      additionalSectors: ['digital/iot'],
      metrics: { employees: 1234, rdExpenseRatio: 0.05, foundedYear: 2015 },
    });
    expect(built.uscc).toBe('91310106MA1FL0000X');
  });

  test('a cell that cannot be read is left unknown with a warning naming its column; the row is still screened', () => {
    const row = cells({ 'location.district': '静安区', 'metrics.employees': 'many', sectors: '炼金术' });
    const en = buildProfile(row, { row: 7, lang: 'en' });
    expect(en.errors).toEqual([]);
    expect(en.profile).toEqual({ location: { district: 'jingan' } });
    expect(en.warnings).toEqual([
      {
        path: 'metrics.employees',
        column: 'metrics.employees',
        value: 'many',
        message: 'Row 7, column "metrics.employees": Employees must be a number, got "many"; left unknown, the prospect is still screened',
      },
      {
        path: 'sectors',
        column: 'sectors',
        value: '炼金术',
        reason: 'unknown-value',
        candidates: [],
        message: expect.stringMatching(/^Row 7, column "sectors": "炼金术" is not a known Sector\. Valid values include /),
      },
    ]);
    const zh = buildProfile(row, { row: 7 }).warnings!;
    expect(zh.map((e) => e.message)).toEqual([
      '第 7 行“metrics.employees”列：员工人数应为数字，而此处是"many"；此项按未知处理，企业仍参与筛选',
      expect.stringMatching(/^第 7 行“sectors”列："炼金术"不是可识别的行业。/),
    ]);
    for (const e of zh) expect(e.message).not.toMatch(/\/api\//);
    expect(buildProfile(cells({ 'location.district': 'jingan', 'location.area': '徐家汇' })).warnings).toEqual([
      { path: 'location.area', column: 'location.area', message: '“location.area”列：功能区不在静安区内；此项按未知处理，企业仍参与筛选' },
    ]);
    expect(buildProfile(cells({ 'location.district': 'jingan', 'metrics.rdExpenseRatio': '5' })).warnings).toEqual([
      expect.objectContaining({ path: 'metrics.rdExpenseRatio', message: expect.stringContaining('0.08 或 8%') }),
    ]);
    expect(buildProfile(cells({ name: '无区' })).errors).toEqual([{ path: 'location.district', message: expect.stringContaining('所在区为空') }]);
    expect(buildProfile(cells({ 'location.district': '静安区、徐汇区' })).errors).toEqual([
      expect.objectContaining({ path: 'location.district', message: expect.stringContaining('只能填一个值') }),
    ]);
  });

  test('yes/no columns under a header naming a code; soft numbers read when clear; a bad check digit kept and flagged', () => {
    const hte = planColumns(['所在区', '是否高新技术企业', '是否专精特新', '是否上市', '员工人数', '统一社会信用代码']).plan!.fields;
    expect(hte.map((f) => [f?.key, f?.kind])).toEqual([
      ['location.district', 'code'],
      ['qualifications', 'yesno'],
      ['qualifications', 'yesno'],
      ['listing', 'yesno'],
      ['metrics.employees', 'integer'],
      ['uscc', 'uscc'],
    ]);
    const row = (values: unknown[]) =>
      hte.map((field, i) => ({
        field: field!,
        header: ['所在区', '是否高新技术企业', '是否专精特新', '是否上市', '员工人数', '统一社会信用代码'][i],
        value: values[i],
      }));
    for (const [yes, no] of [
      ['是', '否'],
      ['有', '无'],
      ['Y', 'N'],
      ['√', '×'],
      ['1', '0'],
    ]) {
      expect(buildProfile(row(['静安', yes, no, no, '', ''])).profile).toEqual({
        location: { district: 'jingan' },
        qualifications: ['high-tech-enterprise'],
        listing: 'unlisted',
      });
    }
    const soft = buildProfile(row(['静安', '', '', '', '约150', '91310106MA1FL0000Y']), { row: 4 });
    expect(soft.profile).toEqual({ location: { district: 'jingan' }, metrics: { employees: 150 } });
    expect(soft.uscc).toBe('91310106MA1FL0000Y');
    expect(soft.warnings!.map((w) => w.message)).toEqual([
      '第 4 行“员工人数”列："约150"按 150 读取（约数）',
      '第 4 行“统一社会信用代码”列：统一社会信用代码的校验位（第 18 位）不正确，已按原样保留，请核对',
    ]);
    expect(buildProfile(row(['静安', '', '', '', '150人左右', ''])).profile?.metrics).toEqual({ employees: 150 });
    expect(buildProfile(row(['静安', '', '', '', '1.2万', ''])).profile?.metrics).toEqual({ employees: 12000 });
    const vague = buildProfile(row(['静安', '也许', '', '', '一百多', '']));
    expect(vague.profile).toEqual({ location: { district: 'jingan' } });
    expect(vague.warnings).toHaveLength(2);
  });
});
