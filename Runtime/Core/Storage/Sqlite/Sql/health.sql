-- Health probe: proves the file can be opened and read. Changes nothing.
SELECT 1;
