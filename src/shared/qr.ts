import QRCode from 'qrcode';

/**
 * `text` as an SVG QR code, scalable for a screen or a printed card. Error correction M (15%)
 * still reads through a crease or a smudge; the quiet zone of 4 modules is what scanners expect.
 */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
