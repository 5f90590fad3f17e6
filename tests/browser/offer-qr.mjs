// Opens an offer's page (its interaction URL, GET /exchanges/{id}) in headless Chromium as an issuer would to print or
// send it, saves a screenshot, and reads the QR code back out of that screenshot with jsQR, as a phone's camera would.
// Usage: node tests/browser/offer-qr.mjs CHROMIUM URL SCREENSHOT.png
// Prints one JSON line: {title, decoded}: the page's title and the text of the QR code found in the picture (null if none).
import { writeFile } from "node:fs/promises";
import { chromium } from "playwright-core";
import jsQR from "jsqr";
import { PNG } from "pngjs";

const [executablePath, url, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"], headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 720, height: 900 } });
  const response = await page.goto(url);
  if (!response.ok()) throw new Error(`${url} answered ${response.status()}`);
  const picture = await page.screenshot({ fullPage: true });
  await writeFile(screenshot, picture);
  const image = PNG.sync.read(picture);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  process.stdout.write(JSON.stringify({ title: await page.title(), decoded: code?.data ?? null }) + "\n");
} finally {
  await browser.close();
}
