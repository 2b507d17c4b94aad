import { Public } from '../auth/auth.decorators';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ambiguousNames, DISTRICTS, headerAliases, PROFILE_FIELDS, SUPPORT_TYPES, synonymsOf } from '@matcher/catalog';
import type { Taxonomy } from '@matcher/contracts';
import { MEASURE_STATUSES } from '../measures/dto/list-measures.query';

const SUPPORT_TYPE_LABELS: Record<(typeof SUPPORT_TYPES)[number], [string, string]> = {
  funding: ['资金支持', 'Funding'],
  recognition: ['认定与荣誉', 'Recognition'],
  financing: ['融资支持', 'Financing'],
  'talent-services': ['人才服务', 'Talent services'],
  space: ['空间载体', 'Space'],
  facilitation: ['服务与便利', 'Facilitation'],
  platform: ['平台建设', 'Platforms'],
  other: ['其他', 'Other'],
};

const STATUS_LABELS: Record<(typeof MEASURE_STATUSES)[number], [string, string]> = {
  'in-force': ['有效', 'In force'],
  expired: ['已到期', 'Expired'],
  'not-yet-in-force': ['尚未生效', 'Not yet in force'],
  'term-unknown': ['期限未载明', 'Term not stated'],
};

@Public()
@ApiTags('catalog')
@Controller('taxonomy')
export class TaxonomyController {
  @ApiOkResponse({
    schema: {
      example: {
        profileVersion: 'v1',
        fields: [
          {
            key: 'sectors',
            kind: 'codes',
            section: 'sectors',
            zh: '行业',
            en: 'Sector',
            hintZh: '选得越细，匹配越准；选子类即包含其大类',
            hintEn: 'The finer the better; a sub-sector implies its parent',
            headerAliases: ['行业', '所属行业', '行业类别'],
            codes: [
              {
                code: 'life-health',
                zh: '生命健康/生物医药',
                en: 'Life health / biomedicine',
                synonyms: ['生物医药', '医药', '大健康'],
                children: ['life-health/innovative-drugs'],
              },
            ],
            ambiguous: { 机器人: ['ai/robotics', 'future-industries/humanoid-robots'] },
          },
        ],
        districts: ['xuhui', 'jingan', 'qingpu'],
        supportTypes: [{ code: 'funding', zh: '资金支持', en: 'Funding' }],
        statuses: [{ code: 'in-force', zh: '有效', en: 'In force' }],
      },
    },
  })
  @Get()
  @ApiOperation({
    summary:
      'Every code of profile v1 (and its documented extension) with zh/en labels, everyday synonyms, hints and the sector hierarchy — the form is built from it',
  })
  taxonomy(): Taxonomy {
    return {
      profileVersion: 'v1',
      fields: PROFILE_FIELDS.map((f) => ({
        ...f,
        headerAliases: headerAliases(f.key),
        codes: f.codes?.map((c) => ({
          ...c,
          synonyms: synonymsOf(f.key, c.code),
          children: f.key.endsWith('ectors') ? f.codes?.filter((x) => x.parent === c.code).map((x) => x.code) : undefined,
        })),
        ambiguous: f.codes?.length ? ambiguousNames(f.key) : undefined,
      })),
      districts: [...DISTRICTS],
      supportTypes: SUPPORT_TYPES.map((code) => ({ code, zh: SUPPORT_TYPE_LABELS[code][0], en: SUPPORT_TYPE_LABELS[code][1] })),
      statuses: MEASURE_STATUSES.map((code) => ({ code, zh: STATUS_LABELS[code][0], en: STATUS_LABELS[code][1] })),
    };
  }
}
