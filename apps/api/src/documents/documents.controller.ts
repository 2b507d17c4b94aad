import { Public } from '../auth/auth.decorators';
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { flatDocument, type DocumentRecord, type FlatDocument } from '@matcher/catalog';
import type { DocumentDetail, DocumentList } from '@matcher/contracts';
import { LiveRuleset } from '../catalog/live-ruleset.service';

/** A document as the API lists it: its flattened record, and what it supersedes when it says. */
function documentItem(d: DocumentRecord): FlatDocument & { supersedes?: string[] } {
  return { ...flatDocument(d), ...(d.supersedes?.length ? { supersedes: d.supersedes } : {}) };
}

@Public()
@ApiTags('catalog')
@Controller('documents')
export class DocumentsController {
  constructor(private readonly live: LiveRuleset) {}

  @ApiOkResponse({
    schema: {
      example: {
        total: 5,
        items: [
          {
            id: 'jingan-modern-industry-measures-2024',
            district: 'jingan',
            title: '静安区关于构建现代化产业体系、促进经济高质量发展的若干措施(试行)',
            issuer: '静安区发展和改革委员会等九部门',
            issuedOn: '2024-12-09',
            validFrom: '2024-12-09',
            validTo: '2025-12-31',
            validityBasis: 'stated',
            measures: 41,
          },
        ],
      },
    },
  })
  @Get()
  @ApiOperation({ summary: 'The five source documents (without their text), with measure counts' })
  list(): DocumentList {
    const { documents, measures } = this.live.catalog;
    const counts = new Map<string, number>();
    for (const m of measures) counts.set(m.source.documentId, (counts.get(m.source.documentId) ?? 0) + 1);
    const docs = [...documents].sort((a, b) => (a.district + a.id < b.district + b.id ? -1 : a.district + a.id > b.district + b.id ? 1 : 0));
    return { total: docs.length, items: docs.map((d) => ({ ...documentItem(d), measures: counts.get(d.id) ?? 0 })) };
  }

  @ApiOkResponse({
    schema: {
      example: {
        id: 'jingan-modern-industry-measures-2024',
        title: '静安区关于构建现代化产业体系、促进经济高质量发展的若干措施(试行)',
        fullText: '静安区关于构建现代化产业体系……',
        measures: [{ id: 'jingan-2024-attract-high-energy-entities', title: '加快吸引高能级主体', titleEn: 'Attract high-calibre market entities' }],
      },
    },
  })
  @Get(':id')
  @ApiOperation({ summary: 'One document with its full text and the ids of the measures drawn from it' })
  @ApiNotFoundResponse({ description: 'No such document' })
  detail(@Param('id') id: string): DocumentDetail {
    const { documents, measures, texts } = this.live.catalog;
    const doc = documents.find((d) => d.id === id);
    if (!doc) throw new NotFoundException(`No document with id ${id}`);
    return {
      ...documentItem(doc),
      fullText: texts[id] ?? '',
      measures: measures.filter((m) => m.source.documentId === id).map((m) => ({ id: m.id, title: m.title, titleEn: m.titleEn })),
    };
  }
}
