import { parseEvaluationOptions, readOption } from './evaluation-options';

describe('parseEvaluationOptions', () => {
  it('reads typed JSON values', () => {
    expect(
      parseEvaluationOptions({ districts: ['xuhui'], asOf: '2025-06-01', includeExpired: false, nearMissLimit: 3 }, 'json', [
        'districts',
        'asOf',
        'includeExpired',
        'nearMissLimit',
      ]),
    ).toEqual({
      options: { districts: ['xuhui'], asOf: '2025-06-01', includeExpired: false, nearMissLimit: 3 },
      errors: [],
    });
    expect(readOption('districts', ['xuhui', 'xuhui'], 'json')).toEqual({ message: 'must not repeat a district' });
    expect(readOption('districts', 'xuhui', 'json')).toHaveProperty('message');
    expect(readOption('includeExpired', 'true', 'json')).toHaveProperty('message');
    expect(readOption('nearMissLimit', 1.5, 'json')).toHaveProperty('message');
  });

  it('reads a query string, refusing unknown parameters and reporting every bad one', () => {
    const names = ['districts', 'asOf', 'includeExpired', 'detail', 'nearMissLimit'] as const;
    expect(parseEvaluationOptions({ districts: 'jingan,xuhui,jingan', includeExpired: 'false', nearMissLimit: '5', detail: 'full' }, 'query', names)).toEqual({
      options: { districts: ['jingan', 'xuhui'], includeExpired: false, nearMissLimit: 5, detail: 'full' },
      errors: [],
    });
    const { errors } = parseEvaluationOptions(
      { districts: 'pudong', asOf: '2025-02-30', includeExpired: 'yes', detail: 'x', nearMissLimit: '1000', foo: '1' },
      'query',
      names,
    );
    expect(errors.map((e) => e.path)).toEqual(['foo', 'districts', 'asOf', 'includeExpired', 'detail', 'nearMissLimit']);
  });

  it('reads form fields: blanks are absent, districts may be named, dates are trimmed', () => {
    expect(parseEvaluationOptions({ districts: '静安区、徐汇', asOf: ' 2025-06-01 ' }, 'form', ['districts', 'asOf'])).toEqual({
      options: { districts: ['jingan', 'xuhui'], asOf: '2025-06-01' },
      errors: [],
    });
    expect(parseEvaluationOptions({ districts: '  ', asOf: '' }, 'form', ['districts', 'asOf'])).toEqual({ options: {}, errors: [] });
    expect(parseEvaluationOptions({ districts: '火星区' }, 'form', ['districts']).errors).toEqual([
      { path: 'districts', message: 'must be a comma-separated list of: xuhui, jingan, qingpu' },
    ]);
  });
});
