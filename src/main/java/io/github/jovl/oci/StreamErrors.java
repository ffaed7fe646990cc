package io.github.jovl.oci;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Says which layer of the input failed ("gzip: CRC32 error"), since a decompressor's own messages (or a bare
 * EOFException with none) do not.
 */
final class StreamErrors extends FilterInputStream {
    private final String label;

    StreamErrors(InputStream in, String label) {
        super(in);
        this.label = label;
    }

    private IOException wrap(IOException e) {
        if (e instanceof BadArchiveException) {
            return e;
        }
        String msg = e instanceof EOFException || e.getMessage() == null ? "unexpected end of stream" : e.getMessage();
        return new IOException(label + ": " + msg, e);
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException e) {
            throw wrap(e);
        }
    }
}
