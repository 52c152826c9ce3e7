import { useMemo } from 'react';
import { encode } from 'uqr';

interface QrCodeProps {
  value: string;
  /** What the picture is, for screen readers. */
  label: string;
  size?: number;
}

/**
 * A QR code drawn in the page as SVG: the otpauth secret is encoded here and never sent to a
 * QR service. Loaded lazily (with `uqr`, a few kB) by the security page only.
 */
export function QrCode({ value, label, size = 192 }: QrCodeProps) {
  const { modules, path } = useMemo(() => {
    // Medium error correction stays readable on a phone camera at this size; the border is
    // the quiet zone scanners need.
    const { data, size: modules } = encode(value, { ecc: 'M', border: 2 });
    let path = '';
    data.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) path += `M${x} ${y}h1v1h-1z`;
      });
    });
    return { modules, path };
  }, [value]);
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="totp-qr"
      viewBox={`0 0 ${modules} ${modules}`}
      width={size}
      height={size}
      shapeRendering="crispEdges"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
