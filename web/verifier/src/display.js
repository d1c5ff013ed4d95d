// The 11 fields of Decision 5772/QD-BYT as an officer reads them: bilingual labels, display names instead of codes.
import VALUE_SETS from 'vaxcert:valuesets'; // generated at build time from src/VaxCert.Core/Data/valuesets (build.mjs)

function named(set, code) {
  if (typeof code !== 'string' && typeof code !== 'number') return '';
  const name = Object.hasOwn(VALUE_SETS[set], code) ? VALUE_SETS[set][code] : null;
  return name ? `${name} (${code})` : `${code} (mã lạ / unknown code)`;
}

const str = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export function formatDate(unixSeconds) {
  return typeof unixSeconds === 'number' && Number.isFinite(unixSeconds)
    ? new Date(unixSeconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
    : '';
}

/** The person's name as written, then the ICAO 9303 machine-readable form. */
export function personName(dcc) {
  const nam = dcc && typeof dcc.nam === 'object' && dcc.nam ? dcc.nam : {};
  const written = [str(nam.fn), str(nam.gn)].filter(Boolean).join(' ');
  const icao = [str(nam.fnt), str(nam.gnt)].filter(Boolean).join('<<');
  return { written, icao };
}

/** [{ no, vi, en, value }] for the certificate; vaccination fields 4-11 only for a vaccination. */
export function fieldsOf(decoded) {
  const dcc = decoded.dcc || {};
  const v = Array.isArray(dcc.v) && dcc.v[0] && typeof dcc.v[0] === 'object' ? dcc.v[0] : null;
  const { written, icao } = personName(dcc);
  const rows = [
    { no: 1, vi: 'Họ và tên', en: 'Full name', value: written, note: icao ? `ICAO: ${icao}` : '' },
    { no: 2, vi: 'Ngày sinh', en: 'Date of birth', value: str(dcc.dob) },
    { no: 3, vi: 'Quốc tịch', en: 'Nationality', value: decoded.nationality ? named('country', decoded.nationality) : '' },
  ];
  if (v) {
    rows.push(
      { no: 4, vi: 'Bệnh được phòng', en: 'Disease targeted', value: named('disease', v.tg) },
      { no: 5, vi: 'Tổng số liều', en: 'Doses in the series', value: str(v.sd) },
      { no: 6, vi: 'Ngày tiêm', en: 'Date of vaccination', value: str(v.dt) },
      { no: 7, vi: 'Mũi số', en: 'Dose number', value: str(v.dn) },
      { no: 8, vi: 'Loại vắc xin', en: 'Vaccine type', value: named('prophylaxis', v.vp) },
      { no: 9, vi: 'Tên vắc xin', en: 'Vaccine', value: named('product', v.mp) },
      { no: 10, vi: 'Nhà sản xuất', en: 'Manufacturer', value: named('manufacturer', v.ma) },
      { no: 11, vi: 'Mã chứng nhận', en: 'Certificate ID (UVCI)', value: str(v.ci) },
    );
  }
  return rows;
}

/** Facts about the certificate itself (not among the 11 fields). */
export function certificateFacts(decoded) {
  const dcc = decoded.dcc || {};
  const v = Array.isArray(dcc.v) && dcc.v[0] && typeof dcc.v[0] === 'object' ? dcc.v[0] : {};
  const kind = Array.isArray(dcc.v) ? 'Tiêm chủng / Vaccination' : Array.isArray(dcc.t) ? 'Xét nghiệm / Test'
    : Array.isArray(dcc.r) ? 'Khỏi bệnh / Recovery' : '';
  return [
    { vi: 'Loại chứng nhận', en: 'Certificate type', value: kind },
    { vi: 'Nơi tiêm', en: 'Country of vaccination', value: v.co ? named('country', v.co) : '' },
    { vi: 'Cơ quan cấp', en: 'Issued by', value: [str(v.is), decoded.iss ? named('country', decoded.iss) : ''].filter(Boolean).join(', ') },
    { vi: 'Ngày cấp', en: 'Issued on', value: formatDate(decoded.iat) },
    { vi: 'Hết hạn', en: 'Expires', value: formatDate(decoded.exp) },
    { vi: 'Người ký', en: 'Signed by', value: decoded.signer ? [decoded.signer.commonName, decoded.signer.country].filter(Boolean).join(', ') : '' },
  ].filter((f) => f.value);
}
