/** Request examples shown in the OpenAPI document. */
export const PROFILE_EXAMPLES = {
  jinganTesting: {
    summary: "A Jing'an testing and certification institution planning to set standards",
    value: {
      profile: {
        name: '上海某检测认证有限公司',
        location: { district: 'jingan', area: 'jingan/shibei' },
        sectors: ['professional-services/testing-certification'],
        roles: ['professional-service-institution'],
        plans: ['international-standards'],
      },
      asOf: '2025-06-01',
    },
  },
  xuhuiDrugs: {
    summary: 'A Xuhui innovative-drug company, high-tech enterprise',
    value: {
      profile: { location: { district: 'xuhui' }, sectors: ['life-health/innovative-drugs'], qualifications: ['high-tech-enterprise'] },
      asOf: '2025-06-01',
    },
  },
  prospect: {
    summary: 'A prospect outside Shanghai, evaluated in all three districts as a relocation',
    value: { profile: { location: { district: 'outside-shanghai' }, sectors: ['ai/robotics'], plans: ['relocate-in'] }, lang: 'en' },
  },
};
