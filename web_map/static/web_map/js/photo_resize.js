// Photos are made smaller in the browser before upload: a 12 MP phone photo (4-6 MB) travels as
// a JPEG of a few hundred KB with its longest side at most 2048 px, which is what a weak mobile
// link can carry. Re-encoding also drops the EXIF block (GPS, device) before the photo leaves
// the phone; the location is read first (location.js). The server keeps every check it has.

export const MAX_EDGE = 2048;
export const JPEG_QUALITY = 0.85;
// A small PNG (a screenshot) or a small photo within the size limit goes as it is.
const KEEP_BELOW_BYTES = 400 * 1024;

/**
 * The picture as a drawable bitmap, the right way up: createImageBitmap applies the EXIF
 * orientation with imageOrientation "from-image"; where that option is missing, an <img>
 * does (browsers honour EXIF orientation for images since 2020).
 */
async function decode(file) {
  if (typeof createImageBitmap === "function") {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      // fall through to <img>: old engines reject the option, some formats fail here only
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.decoding = "async";
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function canvasBlob(canvas, type, quality) {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

function jpegName(name) {
  const base = (name || "anh").replace(/\.[^./\\]+$/, "");
  return `${base}.jpg`;
}

/**
 * {blob, name, width, height, resized}: the photo to upload. A file the browser cannot decode
 * (not an image, HEIC on some phones) is returned unchanged, so that the server names it.
 */
export async function resizePhoto(file, { maxEdge = MAX_EDGE, quality = JPEG_QUALITY } = {}) {
  let image;
  try {
    image = await decode(file);
  } catch {
    return { blob: file, name: file.name, width: 0, height: 0, resized: false };
  }
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  const keep =
    scale === 1 &&
    file.size <= KEEP_BELOW_BYTES &&
    ["image/jpeg", "image/png", "image/webp"].includes(file.type);
  if (keep) {
    if (image.close) image.close();
    return { blob: file, name: file.name, width, height, resized: false };
  }
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff"; // a transparent PNG becomes a JPEG on white, not on black
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(image, 0, 0, w, h);
  if (image.close) image.close();
  const blob = await canvasBlob(canvas, "image/jpeg", quality);
  canvas.width = canvas.height = 0; // frees the pixels at once on low-memory phones
  if (!blob || (scale === 1 && blob.size >= file.size)) {
    return { blob: file, name: file.name, width, height, resized: false };
  }
  return { blob, name: jpegName(file.name), width: w, height: h, resized: true };
}
