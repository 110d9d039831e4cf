SELECT id, origin FROM demo.t ORDER BY id;
