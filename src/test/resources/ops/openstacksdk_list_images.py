"""Lists images with openstacksdk, retrying on 503 as a client configured for it does.

Usage: openstacksdk_list_images.py AUTH_URL ADMIN_PASSWORD STATUS_CODE_RETRIES
Prints one JSON line: {"ok": true, "images": N} or {"ok": false, "status": S, "message": M}.
Run by dev.glint.ops.FaultInjectionTest against Glint with fault rules in place.
"""
import json
import sys

import openstack
from openstack import exceptions


def main():
    auth_url, password, retries = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conn = openstack.connect(
        auth_url=auth_url,
        username="admin",
        password=password,
        project_name="admin",
        user_domain_name="Default",
        project_domain_name="Default",
        region_name="RegionOne",
        # openstacksdk's defaults.json sets image_status_code_retries=5, and the prefixed key
        # wins over status_code_retries: set it to choose how many 503s the client rides out.
        image_status_code_retries=retries,
    )
    try:
        images = list(conn.image.images())
        print(json.dumps({"ok": True, "images": len(images)}))
    except exceptions.HttpException as e:
        print(json.dumps({"ok": False, "status": e.status_code, "message": str(e)}))


if __name__ == "__main__":
    main()
