/**
 * The CJK font printed in agreement PDFs: Noto Sans SC Regular (SIL OFL 1.1) from the npm package
 * `@expo-google-fonts/noto-sans-sc`, chosen because it ships plain TrueType outlines, which
 * fontkit subsets reliably (CFF-based CJK fonts it does not). No imports: CDK reads this too.
 */
export const FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'

/** The file's name beside the Lambda bundle (/var/task/…). */
export const AGREEMENT_FONT_FILE = 'NotoSansSC-Regular.ttf'
