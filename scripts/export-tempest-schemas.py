#!/usr/bin/env python3
"""Export tempest's compute image response schemas as JSON test fixtures.

Glint's conformance test (ComputeTempestSchemaTest) validates every compute images response
against the schemas tempest itself uses. This script reads them from an unpacked tempest and
writes one JSON file per response kind; run it once when moving to a new tempest, commit the
JSON (not tempest's source).

    apt-get download python3-tempest && dpkg -x python3-tempest_*.deb /tmp/tempest
    python3 scripts/export-tempest-schemas.py /tmp/tempest/usr/lib/python3/dist-packages \
        src/test/resources/tempest

The schemas are plain dicts; tempest's only custom format, 'iso8601-date-time' (oslo
parse_isotime), is kept as written and checked by the Java test itself.
"""
import importlib
import json
import os
import sys

KINDS = ["list_images", "list_images_details", "get_image", "delete", "image_metadata",
         "image_meta_item"]


def main(tempest_root, out_dir):
    sys.path.insert(0, tempest_root)
    images = importlib.import_module("tempest.lib.api_schema.response.compute.v2_1.images")
    version = "unknown"
    try:
        import importlib.metadata as md
        version = md.version("tempest")
    except Exception:  # the unpacked .deb has no dist-info on sys.path
        pass
    os.makedirs(out_dir, exist_ok=True)
    for kind in KINDS:
        schema = dict(getattr(images, kind))
        schema["_source"] = ("tempest/lib/api_schema/response/compute/v2_1/images.py:" + kind
                             + " (tempest " + version + ")")
        path = os.path.join(out_dir, "compute-images-" + kind.replace("_", "-") + ".json")
        with open(path, "w") as f:
            json.dump(schema, f, indent=2, sort_keys=True)
            f.write("\n")
        print("wrote", path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: export-tempest-schemas.py <tempest site-packages dir> <output dir>")
    main(sys.argv[1], sys.argv[2])
