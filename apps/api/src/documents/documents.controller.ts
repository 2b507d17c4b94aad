import { Public } from '../auth/auth.decorators';
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { MeasureEntity, PolicyDocumentEntity } from '@matcher/persistence';

@Public()
@ApiTags('catalog')
@Controller('documents')
export class DocumentsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'The five source documents (without their text), with measure counts' })
  async list(): Promise<unknown> {
    const docs = await this.dataSource.getRepository(PolicyDocumentEntity).find({ order: { district: 'ASC', id: 'ASC' }, select: { id: true, district: true, title: true, titleEn: true, issuer: true, issuerEn: true, issuedOn: true, reference: true, term: true, termEn: true, validFrom: true, validTo: true, validityBasis: true } });
    const counts: { document_id: string; n: string }[] = await this.dataSource.query('SELECT document_id, count(*) AS n FROM measure GROUP BY document_id');
    const byDoc = new Map(counts.map((c) => [c.document_id, Number(c.n)]));
    return { total: docs.length, items: docs.map((d) => ({ ...d, measures: byDoc.get(d.id) ?? 0 })) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One document with its full text and the ids of the measures drawn from it' })
  @ApiNotFoundResponse({ description: 'No such document' })
  async detail(@Param('id') id: string): Promise<unknown> {
    const doc = await this.dataSource.getRepository(PolicyDocumentEntity).findOneBy({ id });
    if (!doc) throw new NotFoundException(`No document with id ${id}`);
    const measures = await this.dataSource.getRepository(MeasureEntity).find({ where: { documentId: id }, select: { id: true, title: true, titleEn: true }, order: { position: 'ASC' } });
    return { ...doc, measures };
  }
}
