# Step times vary from run to run.
s/ *[0-9]+ ms/ N ms/g
