#!/usr/bin/env python3
"""Export Glance's metadata definition schemas (/v2/schemas/metadefs/*) as JSON resources.

Glint serves these documents byte for byte as Glance Zed builds them (Schema.raw() of
glance.api.v2.metadef_*). Glance cannot be imported without its service stack, so this script
stands in a placeholder for every module it cannot find (oslo, webob, wsme ...) and for the wsme
models (only their mandatory attributes matter to the schemas). Run it once when moving to a new
Glance; commit the JSON, not Glance's source.

    apt-get download python3-glance && dpkg -x python3-glance_*.deb /tmp/glance-src/x
    python3 scripts/export-metadef-schemas.py /tmp/glance-src/x/usr/lib/python3/dist-packages \
        src/main/resources/schemas/metadefs
"""
import importlib.abc
import importlib.machinery
import json
import os
import sys
import types
from unittest import mock

# The wsme models' mandatory attributes (glance/api/v2/model/metadef_*.py).
MANDATORY = {
    "Namespace": ["namespace"], "Namespaces": [], "MetadefObject": ["name"],
    "MetadefObjects": [], "PropertyType": ["type", "title"], "PropertyTypes": [],
    "ResourceTypeAssociation": ["name"], "ResourceTypeAssociations": [],
    "ResourceType": ["name"], "ResourceTypes": [], "MetadefTag": ["name"], "MetadefTags": [],
    "ItemType": ["type"],
}
MODELS = ["metadef_namespace", "metadef_object", "metadef_property_type",
          "metadef_resource_type", "metadef_tag", "metadef_property_item_type"]


class Placeholder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds any non-glance module that no other finder has: a MagicMock package."""

    def find_spec(self, name, path, target=None):
        if name == "glance" or name.startswith("glance."):
            return None
        for finder in sys.meta_path:
            if finder is not self and finder.find_spec(name, path, target):
                return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        module = mock.MagicMock()
        module.__path__ = []
        module.__name__ = spec.name
        return module

    def exec_module(self, module):
        pass


def main(glance_root, out_dir):
    sys.path.insert(0, glance_root)
    sys.meta_path.append(Placeholder())
    import glance.i18n
    glance.i18n._ = lambda s: s
    for name in MODELS:
        module = types.ModuleType("glance.api.v2.model." + name)
        for cls, required in MANDATORY.items():
            setattr(module, cls, type(cls, (), {
                "get_mandatory_attrs": classmethod(lambda c, r=required: list(r))}))
        sys.modules["glance.api.v2.model." + name] = module
    from glance.api.v2 import metadef_namespaces, metadef_objects, metadef_properties
    from glance.api.v2 import metadef_resource_types, metadef_tags
    pairs = {
        "namespace": metadef_namespaces, "object": metadef_objects,
        "property": metadef_properties, "resource_type": metadef_resource_types,
        "tag": metadef_tags,
    }
    plural = {"namespace": "namespaces", "object": "objects", "property": "properties",
              "resource_type": "resource_types", "tag": "tags"}
    os.makedirs(out_dir, exist_ok=True)
    for single, module in pairs.items():
        for name, schema in ((single, module.get_schema()),
                             (plural[single], module.get_collection_schema())):
            with open(os.path.join(out_dir, name + ".json"), "w") as f:
                json.dump(schema.raw(), f)
            print("wrote", name)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
