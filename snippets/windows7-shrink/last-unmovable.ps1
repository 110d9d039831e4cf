Get-WinEvent -FilterHashtable @{LogName='Application'; Id=259} -MaxEvents 1 | Format-List
