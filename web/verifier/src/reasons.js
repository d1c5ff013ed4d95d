// Every answer the page can give, in plain Vietnamese and English. Codes are the .NET verifier's (docs/reason-codes.md)
// where it has one; names without a code exist only in this page. One deliberate difference: an unknown signer is
// INDETERMINATE here, because the trust list is whatever file the officer loaded and may simply be incomplete.

const DAMAGED = ['Mã bị hỏng hoặc đọc sai.', 'The code is damaged or was misread.'];
const NOT_A_CERTIFICATE = ['Mã không có cấu trúc của một chứng nhận.', 'The code does not have the structure of a certificate.'];

export const REASONS = Object.freeze({
  None: { code: 0, outcome: 'VALID', vi: 'Chữ ký của cơ quan cấp là thật và chứng nhận còn hạn.', en: 'The issuer\'s signature is genuine and the certificate is in date.' },
  InputTooLong: { code: 1001, vi: 'Văn bản quá dài để là mã QR chứng nhận.', en: 'The text is too long to be a certificate QR code.' },
  PrefixMissing: { code: 1101, vi: 'Đây không phải mã chứng nhận tiêm chủng (không bắt đầu bằng HC1:).', en: 'This is not a vaccination certificate code (it does not start with HC1:).' },
  PrefixUnsupported: { code: 1102, vi: 'Loại mã này không được hỗ trợ (chỉ HC1:).', en: 'This kind of code is not supported (HC1: only).' },
  Base45InvalidCharacter: { code: 1201, vi: DAMAGED[0] + ' Có ký tự không hợp lệ.', en: DAMAGED[1] + ' It contains an invalid character.' },
  Base45InvalidGroup: { code: 1202, vi: DAMAGED[0], en: DAMAGED[1] },
  ZlibInvalid: { code: 1301, vi: DAMAGED[0] + ' Không giải nén được dữ liệu.', en: DAMAGED[1] + ' Its data cannot be unpacked.' },
  ZlibTooLarge: { code: 1302, vi: 'Dữ liệu bên trong lớn bất thường; đã dừng đọc để an toàn.', en: 'The data inside is abnormally large; reading stopped for safety.' },
  CborInvalid: { code: 2001, vi: NOT_A_CERTIFICATE[0], en: NOT_A_CERTIFICATE[1] },
  CborTooDeep: { code: 2002, vi: NOT_A_CERTIFICATE[0], en: NOT_A_CERTIFICATE[1] },
  CoseInvalid: { code: 2101, vi: NOT_A_CERTIFICATE[0], en: NOT_A_CERTIFICATE[1] },
  CoseHeaderInvalid: { code: 2102, vi: NOT_A_CERTIFICATE[0], en: NOT_A_CERTIFICATE[1] },
  CwtInvalid: { code: 2201, vi: NOT_A_CERTIFICATE[0], en: NOT_A_CERTIFICATE[1] },
  CwtClaimInvalid: { code: 2202, vi: NOT_A_CERTIFICATE[0] + ' Ngày cấp hoặc ngày hết hạn sai kiểu.', en: NOT_A_CERTIFICATE[1] + ' Its issue or expiry date is malformed.' },
  HcertMissing: { code: 2203, vi: 'Mã không chứa chứng nhận y tế.', en: 'The code holds no health certificate.' },
  AlgorithmUnsupported: { code: 2301, vi: 'Chữ ký dùng thuật toán không được chấp nhận.', en: 'The signature uses an algorithm that is not accepted.' },
  KidMissing: { code: 2302, vi: 'Chứng nhận không cho biết ai đã ký.', en: 'The certificate does not say who signed it.' },
  KidUnknown: { code: 3101, outcome: 'INDETERMINATE', vi: 'Không rõ người ký: người ký không có trong danh sách tin cậy đang dùng. Hãy cập nhật danh sách tin cậy rồi quét lại.', en: 'Unknown signer: the signer is not in the trust list in use. Update the trust list and scan again.' },
  SignatureInvalid: { code: 3201, vi: 'Chữ ký không khớp: dữ liệu đã bị sửa đổi hoặc chứng nhận bị giả mạo.', en: 'The signature does not match: the data was altered or the certificate is forged.' },
  KeyUsageMismatch: { code: 3301, vi: 'Người ký không được phép ký loại chứng nhận này.', en: 'The signer is not allowed to sign this kind of certificate.' },
  SignerNotValidAtIssuance: { code: 3302, vi: 'Chứng thư của người ký không có hiệu lực vào ngày cấp.', en: 'The signer\'s certificate was not valid on the day of issue.' },
  CwtExpired: { code: 4101, vi: 'Chứng nhận đã hết hạn.', en: 'The certificate has expired.' },
  CwtNotYetValid: { code: 4102, vi: 'Ngày cấp nằm ở tương lai: hãy kiểm tra đồng hồ của máy này.', en: 'The issue date is in the future: check this device\'s clock.' },
  CwtTimeMissing: { code: 4103, vi: 'Chứng nhận không có ngày cấp hoặc ngày hết hạn.', en: 'The certificate has no issue or expiry date.' },
  DccInvalid: { code: 5001, vi: 'Nội dung chứng nhận không hợp lệ.', en: 'The certificate content is not valid.' },
  DccTypeAmbiguous: { code: 5102, vi: 'Chứng nhận phải là đúng một loại: tiêm chủng, xét nghiệm hoặc khỏi bệnh.', en: 'The certificate must be exactly one of vaccination, test or recovery.' },
  TrustListMissing: { outcome: 'INDETERMINATE', vi: 'Chưa có danh sách tin cậy: hãy chọn tệp danh sách tin cậy.', en: 'No trust list is loaded: select a trust-list file.' },
  QrNotFound: { outcome: 'INDETERMINATE', vi: 'Không tìm thấy mã QR trong ảnh. Chụp lại gần hơn, đủ sáng, không bị lóa.', en: 'No QR code found in the image. Take the photo closer, with more light and no glare.' },
  ImageUnreadable: { outcome: 'INDETERMINATE', vi: 'Không đọc được tệp ảnh (chỉ PNG, JPEG, WebP, GIF).', en: 'The image file cannot be read (PNG, JPEG, WebP or GIF only).' },
  ImageTooLarge: { outcome: 'INDETERMINATE', vi: 'Tệp ảnh quá lớn.', en: 'The image file is too large.' },
  CameraUnavailable: { outcome: 'INDETERMINATE', vi: 'Không mở được camera (chưa cho phép hoặc máy không có camera).', en: 'The camera cannot be opened (permission refused or no camera).' },
  BrowserUnsupported: { outcome: 'INDETERMINATE', vi: 'Trình duyệt này quá cũ để kiểm tra chứng nhận.', en: 'This browser is too old to check certificates.' },
  InternalError: { code: 9901, outcome: 'INDETERMINATE', vi: 'Lỗi không mong đợi khi kiểm tra: không chấp nhận chứng nhận này, hãy thử lại.', en: 'Unexpected error while checking: do not accept this certificate; try again.' },
});

/** VALID / INVALID / INDETERMINATE for a reason name; an unknown name is never VALID. */
export function outcomeOf(reason) {
  const r = REASONS[reason];
  return r ? r.outcome || 'INVALID' : 'INDETERMINATE';
}

export function describe(reason) {
  return REASONS[reason] || REASONS.InternalError;
}
