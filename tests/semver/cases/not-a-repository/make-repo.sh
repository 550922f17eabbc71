# Not a repository: exit 2 with the fix.
echo "nothing here" > file.txt
