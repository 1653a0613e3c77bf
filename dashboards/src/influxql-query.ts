import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { INFLUXDB } from './datasources.js';

/**
 * A raw InfluxQL query for Grafana's InfluxDB data source. The Foundation SDK ships no
 * InfluxDB query type, so this is the small builder it would be: the fields Grafana's
 * InfluxQL editor saves in raw mode.
 */
export interface InfluxQlQuery extends cog.Dataquery {
  refId: string;
  datasource: typeof INFLUXDB;
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  alias?: string;
}

export class InfluxQlQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly internal: InfluxQlQuery;

  constructor(query: string, refId = 'A') {
    this.internal = {
      refId,
      datasource: INFLUXDB,
      query,
      rawQuery: true,
      resultFormat: 'time_series',
      // Required by cog's marker interface; a function is dropped by JSON.stringify.
      _implementsDataqueryVariant() {},
    };
  }

  /** Series name; `$tag_<tag>` inserts a GROUP BY tag's value. */
  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }

  build(): cog.Dataquery {
    return this.internal;
  }
}

export function influxQuery(query: string, alias: string, refId = 'A'): InfluxQlQueryBuilder {
  return new InfluxQlQueryBuilder(query, refId).alias(alias);
}
