// Path normalisation shared by Hearth's generated edge code (the
// Cloudflare worker, the Netlify edge function): one reading of a request
// path, so that what is checked is what is served.

/** The decoded, normalised path, with a trailing slash kept; null when an escape is bad. */
function canonical(pathname) {
  const out = [];
  const parts = pathname.split("/");
  for (const raw of parts) {
    let seg;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    for (const part of seg.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") out.pop();
      else out.push(part);
    }
  }
  const last = decodeSafe(parts[parts.length - 1]);
  const slash = last === null || last === "" || last === "." || last === ".." || last.endsWith("/");
  return "/" + out.join("/") + (out.length && slash ? "/" : "");
}

function decodeSafe(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function encodePath(path) {
  return path.split("/").map(encodeURIComponent).join("/");
}
