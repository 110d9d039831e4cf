cleanmgr /sageset:1
cleanmgr /sagerun:1
