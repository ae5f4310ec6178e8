package io.tunnelgate.http;

import java.util.HashMap;
import java.util.Map;

/**
 * Tunnelgate's built-in extension map, used at every level where no {@code types} block applies.
 * nginx compiles in only {@code html}, {@code gif} and {@code jpg} and relies on every config
 * including its {@code mime.types}; a proxy's config often has no such include, so Tunnelgate
 * knows the common web formats itself. A {@code types} block replaces this map, as in nginx.
 */
final class MimeTypes {
    /** Extension (lower case) to MIME type. */
    static final Map<String, String> BUILT_IN = build();

    private MimeTypes() {
    }

    private static Map<String, String> build() {
        Map<String, String> m = new HashMap<>();
        add(m, "text/html", "html", "htm", "shtml");
        add(m, "text/css", "css");
        add(m, "text/plain", "txt", "text", "log", "conf");
        add(m, "text/csv", "csv");
        add(m, "text/markdown", "md");
        add(m, "text/xml", "xml");
        add(m, "text/javascript", "js", "mjs");
        add(m, "application/json", "json", "map");
        add(m, "application/manifest+json", "webmanifest");
        add(m, "application/xhtml+xml", "xhtml");
        add(m, "application/rss+xml", "rss");
        add(m, "application/atom+xml", "atom");
        add(m, "application/wasm", "wasm");
        add(m, "application/pdf", "pdf");
        add(m, "application/zip", "zip");
        add(m, "application/gzip", "gz", "tgz");
        add(m, "application/x-tar", "tar");
        add(m, "application/x-bzip2", "bz2");
        add(m, "application/x-xz", "xz");
        add(m, "application/zstd", "zst");
        add(m, "application/x-7z-compressed", "7z");
        add(m, "application/java-archive", "jar", "war", "ear");
        add(m, "application/octet-stream", "bin", "exe", "dll", "deb", "rpm", "iso", "img", "msi", "dmg");
        add(m, "application/pkix-cert", "cer");
        add(m, "application/x-x509-ca-cert", "crt", "der", "pem");
        add(m, "application/msword", "doc");
        add(m, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx");
        add(m, "application/vnd.ms-excel", "xls");
        add(m, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
        add(m, "application/vnd.ms-powerpoint", "ppt");
        add(m, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx");
        add(m, "application/vnd.oasis.opendocument.text", "odt");
        add(m, "application/rtf", "rtf");
        add(m, "application/epub+zip", "epub");
        add(m, "image/png", "png");
        add(m, "image/jpeg", "jpg", "jpeg");
        add(m, "image/gif", "gif");
        add(m, "image/svg+xml", "svg", "svgz");
        add(m, "image/x-icon", "ico");
        add(m, "image/webp", "webp");
        add(m, "image/avif", "avif");
        add(m, "image/bmp", "bmp");
        add(m, "image/tiff", "tif", "tiff");
        add(m, "font/woff", "woff");
        add(m, "font/woff2", "woff2");
        add(m, "font/ttf", "ttf");
        add(m, "font/otf", "otf");
        add(m, "audio/mpeg", "mp3");
        add(m, "audio/ogg", "ogg", "oga");
        add(m, "audio/wav", "wav");
        add(m, "audio/flac", "flac");
        add(m, "audio/aac", "aac");
        add(m, "audio/mp4", "m4a");
        add(m, "video/mp4", "mp4", "m4v");
        add(m, "video/webm", "webm");
        add(m, "video/ogg", "ogv");
        add(m, "video/quicktime", "mov");
        add(m, "video/x-msvideo", "avi");
        add(m, "video/mp2t", "ts");
        add(m, "application/vnd.apple.mpegurl", "m3u8");
        return Map.copyOf(m);
    }

    private static void add(Map<String, String> m, String type, String... extensions) {
        for (String e : extensions) {
            m.put(e, type);
        }
    }
}
