/** The translated, actionable sentence for each intake problem. */
import { formatBytes, formatNumber, t } from '../../../i18n/i18n.ts';
import { DEFAULT_LIMITS, IntakeError, type IntakeLimits } from '../shared/intake-check.ts';

export function intakeMessage(err: IntakeError, limits: IntakeLimits = DEFAULT_LIMITS): string {
  const { width = 0, height = 0, bytes = 0 } = err.details;
  switch (err.code) {
    case 'empty':
      return t('intake.empty');
    case 'not-image':
      return t('intake.notImage');
    case 'svg':
      return t('intake.svg');
    case 'animated':
      return t('intake.animated');
    case 'heic':
      return t('intake.heic');
    case 'truncated':
      return t('intake.truncated');
    case 'too-large':
      return t('intake.tooLarge', {
        width: formatNumber(width),
        height: formatNumber(height),
        maxMegapixels: formatNumber(Math.floor(limits.maxPixels / 1e6)),
      });
    case 'file-too-big':
      return t('intake.fileTooBig', { size: formatBytes(bytes), max: formatBytes(limits.maxBytes) });
    case 'too-small':
      return t('intake.tooSmall', { width: formatNumber(width), height: formatNumber(height) });
    case 'undecodable':
      return t('intake.undecodable');
  }
}
