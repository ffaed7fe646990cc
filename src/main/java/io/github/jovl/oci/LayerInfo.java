package io.github.jovl.oci;

import java.util.List;

/**
 * The metadata of one unpacked layer (layer.json).
 *
 * @param diffId      sha256 of the uncompressed tar: the layer's name in the store and in image configs
 * @param size        bytes of the uncompressed tar
 * @param entries     tar entries read
 * @param blobDigests digests of the compressed blobs seen to unpack to this layer, so an image import can
 *                    recognise a layer it has already without reading it again
 * @param treeDigest  sha256 of the tree listing written at import, which `layer verify` recomputes
 * @param whiteouts   the on-disk marker form: "chardev" (0/0 devices, trusted.overlay.opaque) or "file"
 *                    (.wh. files, user.overlay.opaque or .wh..wh..opq)
 */
public record LayerInfo(String diffId, long size, long entries, List<String> blobDigests, String treeDigest,
                        String whiteouts, String created) {
    public LayerInfo {
        blobDigests = blobDigests == null ? List.of() : List.copyOf(blobDigests);
    }

    public Digest digest() {
        return new Digest(diffId.substring(Digest.ALGORITHM.length() + 1));
    }
}
