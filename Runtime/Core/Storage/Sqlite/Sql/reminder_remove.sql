-- Deletes one reminder. Rows affected: 1 = it existed, 0 = it did not.
DELETE FROM nexus_reminders
WHERE grain_type = @grain_type AND grain_key = @grain_key AND reminder_name = @reminder_name;
