package io.github.jovl.oci;

import java.util.List;

/**
 * The metadata of one image (image.json). Its ID is the digest of its config, as in Docker and OCI tools.
 *
 * @param layers DiffIDs from the bottom layer to the top, as the config lists them
 * @param names  name:tag references; a name belongs to one image at a time
 */
public record ImageInfo(String id, String manifestDigest, List<String> layers, List<String> names, String created,
                        String source) {
    public ImageInfo {
        layers = List.copyOf(layers);
        names = names == null ? List.of() : List.copyOf(names);
    }

    public Digest digest() {
        return new Digest(id.substring(Digest.ALGORITHM.length() + 1));
    }

    public List<Digest> layerDigests() {
        return layers.stream().map(s -> new Digest(s.substring(Digest.ALGORITHM.length() + 1))).toList();
    }

    public ImageInfo withNames(List<String> n) {
        return new ImageInfo(id, manifestDigest, layers, n, created, source);
    }
}
