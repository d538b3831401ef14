-- Image service (Glance v2) lists. The default order (created_at desc, id desc) already has
-- images_created_id; these serve the other common sorts and the member lookups.

-- sort=name (NULL names sort as '', the expression the list SQL orders and pages by).
CREATE INDEX images_name_sort ON images ((COALESCE(name, '')), created_at, id);
-- sort=updated_at, and updated_at=gte:... with a keyset.
CREATE INDEX images_updated_id ON images (updated_at, id);
-- Shared images a project is a member of: EXISTS (... WHERE image_id = ? AND member = ?) uses the
-- primary key; listing a member's shares by status uses image_members_member (V1).
-- Tag filters: EXISTS (... WHERE image_id = ? AND tag = ?) use image_tags' primary key.
