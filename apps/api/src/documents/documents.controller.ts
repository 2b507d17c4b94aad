import { Public } from '../auth/auth.decorators';
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { MeasureEntity, PolicyDocumentEntity } from '@matcher/persistence';

@Public()
@ApiTags('catalog')
@Controller('documents')
export class DocumentsController {
  constructor(private readonly dataSource: DataSource) {}

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
  async list(): Promise<unknown> {
    const docs = await this.dataSource.getRepository(PolicyDocumentEntity).find({
      order: { district: 'ASC', id: 'ASC' },
      select: {
        id: true,
        district: true,
        title: true,
        titleEn: true,
        issuer: true,
        issuerEn: true,
        issuedOn: true,
        reference: true,
        term: true,
        termEn: true,
        validFrom: true,
        validTo: true,
        validityBasis: true,
      },
    });
    const counts: { document_id: string; n: string }[] = await this.dataSource.query('SELECT document_id, count(*) AS n FROM measure GROUP BY document_id');
    const byDoc = new Map(counts.map((c) => [c.document_id, Number(c.n)]));
    return { total: docs.length, items: docs.map((d) => ({ ...d, measures: byDoc.get(d.id) ?? 0 })) };
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
  async detail(@Param('id') id: string): Promise<unknown> {
    const doc = await this.dataSource.getRepository(PolicyDocumentEntity).findOneBy({ id });
    if (!doc) throw new NotFoundException(`No document with id ${id}`);
    const measures = await this.dataSource
      .getRepository(MeasureEntity)
      .find({ where: { documentId: id }, select: { id: true, title: true, titleEn: true }, order: { position: 'ASC' } });
    return { ...doc, measures };
  }
}
